"""An error as the window shows it: a ValidationError names its field by the label the form uses, translated."""

from __future__ import annotations

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.field_labels import FIELD_LABELS
from renewaltracker.i18n import _


def field_label(field: str) -> str:
    """The translated label of a field key; a location ("bad.csv line 3") or an identifier stays as it is."""
    label = FIELD_LABELS.get(field)
    return _(label) if label is not None else field


def error_text(error: BaseException) -> str:
    """The text to show for an error: "<field label>: <problem>" for a ValidationError (the problem is already
    translated where it was raised), else the error's own text."""
    if not isinstance(error, ValidationError):
        return str(error)
    # French puts a no-break space before the colon; the catalogue says so.
    return _("{field}: {problem}").format(field=field_label(error.field), problem=error.problem)
