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
        from renewaltracker.i18n import _  # here, not at the top: i18n imports the domain, which imports this

        super().__init__(
            "charge",
            _("a charge of {amount} on {day} is already recorded (charge {existing_id})").format(
                amount=amount, day=day, existing_id=existing_id
            ),
        )
        self.existing_id = existing_id
