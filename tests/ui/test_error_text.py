"""The window names a field in an error by its translated label, not by the key the code uses."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.field_labels import FIELD_LABELS, IDENTIFIER_FIELDS
from renewaltracker.domain.settings import SETTINGS
from renewaltracker.domain.subscription import CHARGE_TEXT_LIMITS, TEXT_LIMITS
from renewaltracker.i18n import install_language
from renewaltracker.ui.error_text import error_text
from tests.field_keys import field_keys

NBSP = "\u00a0"
# check_text_limits names a field after its attribute (payment_method → "payment-method"), which no scan sees.
TEXT_LIMIT_KEYS = {name.replace("_", "-") for limits in (TEXT_LIMITS, CHARGE_TEXT_LIMITS) for name in limits}
# parse_setting names a setting by its key; the settings a form edits have a label, the rest are identifiers.
SETTING_KEYS = set(SETTINGS)


def test_the_scan_finds_the_keys_it_should() -> None:
    found = field_keys()
    # A literal first argument, a parameter's default, a literal passed on, a loop over literals, a .replace.
    assert {"start", "every", "remind", "promised-by", "notice-days", "order-number", "trial_end"} <= set(found)


def test_every_field_key_the_code_raises_has_a_label_or_is_an_identifier_on_purpose() -> None:
    keys = set(field_keys()) | TEXT_LIMIT_KEYS
    unlabelled = sorted(keys - set(FIELD_LABELS) - IDENTIFIER_FIELDS - SETTING_KEYS)
    assert not unlabelled, (
        "give these ValidationError fields a label in domain/field_labels.py (or list them in IDENTIFIER_FIELDS): "
        + ", ".join(f"{key!r} ({field_keys().get(key, 'text limits')})" for key in unlabelled)
    )


@pytest.mark.parametrize("key", sorted(FIELD_LABELS))
@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_label_is_translated(key: str, language: str) -> None:
    install_language(language)
    text = error_text(ValidationError(key, "x"))
    assert not text.startswith(f"{key}:") and not text.startswith(f"{key}{NBSP}:")
    label = text.removesuffix("x").rstrip(f":{NBSP} ")
    assert label and label != key


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Notice period: must be a whole number"),
        ("de", "Kündigungsfrist: must be a whole number"),
        ("fr", f"Préavis{NBSP}: must be a whole number"),
    ],
)
def test_a_known_key_shows_the_editors_label_in_the_interface_language(language: str, expected: str) -> None:
    install_language(language)
    assert error_text(ValidationError("notice-days", "must be a whole number")) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "bad.csv line 3: x"), ("de", "bad.csv line 3: x"), ("fr", f"bad.csv line 3{NBSP}: x")],
)
def test_a_location_stays_as_it_is(language: str, expected: str) -> None:
    install_language(language)
    assert error_text(ValidationError("bad.csv line 3", "x")) == expected
    assert error_text(ValidationError("--map", "x")).startswith("--map")


def test_other_errors_show_their_own_text() -> None:
    install_language("de")
    assert error_text(NotFoundError("kein Abonnement mit der ID 9")) == "kein Abonnement mit der ID 9"
    assert error_text(OSError("disk full")) == "disk full"


@given(
    field=st.text(min_size=1).filter(lambda text: text not in FIELD_LABELS),
    problem=st.text(),
)
def test_in_english_an_unlabelled_field_reads_exactly_as_the_error_itself(field: str, problem: str) -> None:
    install_language("en")
    error = ValidationError(field, problem)
    assert error_text(error) == str(error)
