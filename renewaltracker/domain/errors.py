"""Errors raised by the domain layer."""


class ValidationError(ValueError):
    """A value the user gave is not acceptable; names the field and the problem."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class NotFoundError(LookupError):
    """The record the user named does not exist."""


class DuplicateChargeError(ValidationError):
    """The same charge (date and amount) is already recorded; the user may insist."""

    def __init__(self, existing_id: int | None, day: object, amount: object) -> None:
        super().__init__("charge", f"a charge of {amount} on {day} is already recorded (charge {existing_id})")
        self.existing_id = existing_id
