"""Errors raised by the domain layer."""


class ValidationError(ValueError):
    """A value the user gave is not acceptable; names the field and the problem."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class NotFoundError(LookupError):
    """The record the user named does not exist."""
