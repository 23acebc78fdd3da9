"""The languages letters are written in, and how a typed language name is read."""

from __future__ import annotations

from renewaltracker.domain.errors import ValidationError

ENGLISH = "en"
# Each has a folder of letter templates (resources/templates/<code>) and a phrase table (letter_phrases).
LETTER_LANGUAGES = ("en", "de", "fr")
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français"}
# The Babel locale whose conventions a letter in that language follows ("3. Dezember 2026", "39,99 €").
BABEL_LOCALES = {"en": "en_GB", "de": "de_DE", "fr": "fr_FR"}
_ALIASES = {"english": "en", "german": "de", "deutsch": "de", "french": "fr", "français": "fr", "francais": "fr"}


def language_code(text: str) -> str:
    """ "de_DE.UTF-8", "de-AT", "German" → "de"; "" stays "" (no preference). Not checked against any list."""
    cleaned = (text or "").strip().lower()
    if cleaned in _ALIASES:
        return _ALIASES[cleaned]
    return cleaned.split(".")[0].replace("-", "_").split("_")[0]


def known_language(text: str) -> str | None:
    """The letter language `text` names, "" for empty text (no preference), None for anything else."""
    code = language_code(text)
    # Text that names no code ("-3", "_") is a typo, not a wish for no preference: only empty text is that.
    if (code or (text or "").strip()) and code not in LETTER_LANGUAGES:
        return None
    return code


def parse_letter_language(text: str, field: str = "letter-language") -> str:
    """A letter language code, or "" for "the interface's"; a ValidationError names the choices."""
    code = known_language(text)
    if code is None:
        from renewaltracker.i18n import _  # here, not at the top: i18n imports this module

        raise ValidationError(
            field,
            _("{text!r} is not one of: {choices} (or empty)").format(text=text, choices=", ".join(LETTER_LANGUAGES)),
        )
    return code
