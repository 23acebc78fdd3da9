"""Payment-method labels that never hold more than a card's last four digits."""

from __future__ import annotations

import re

from renewaltracker.domain.patterns import compiled

# What people put between digit groups: spaces (also doubled, tabs, no-break spaces), dashes, dots, slashes and
# underscores; up to three of them, so "4242  4242" and "4242 - 4242" are one number too. \s covers U+00A0/U+202F.
_SEPARATOR = r"[\s._/\-\u2010-\u2015]{0,3}"
# A run of digits, possibly grouped, as card and account numbers are written.
_DIGIT_RUN = rf"\d(?:{_SEPARATOR}\d)+"
# In free text only runs of card length or longer (13+ digits) are cut: shorter ones are case and order numbers.
# No upper bound: a card number followed by its expiry ("4242 … 4242 12/28") is one longer run, and must not
# escape the cut by being too long.
_CARD_LIKE = rf"(?<!\d)\d(?:{_SEPARATOR}\d){{12,}}"


# A card's expiry date ("12/2027", "09/28") in a label: read as one number it came out as "ending 2027", and the
# letter to the bank then named the year as the card.
_EXPIRY = r"(?<![\d/])(?:0?[1-9]|1[0-2])/(?:\d{2}|20\d{2})(?![\d/])"
_KEPT = 0xE000  # private-use characters stand in for the expiry dates while the digits are cut
# What stands for the cut digits: the brand and the last four are the data, and "•••• 4242" reads the same in
# every language the labels, letters and notes are written in (an English "ending" did not).
CARD_MASK = "••••"


def redact_card_numbers(label: str) -> str:
    """Replace any run of more than four digits with "•••• NNNN" (its last four); an expiry date stays."""

    def shorten(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) <= 4:
            return match.group(0)
        return f"{CARD_MASK} {digits[-4:]}"

    expiries: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        expiries.append(match.group(0))
        return chr(_KEPT + len(expiries) - 1)

    shortened = compiled(_DIGIT_RUN).sub(shorten, compiled(_EXPIRY).sub(set_aside, label))
    for index, expiry in enumerate(expiries):
        shortened = shortened.replace(chr(_KEPT + index), expiry)
    return shortened


def last_four(label: str) -> str | None:
    """The card's last four digits in a label: those after "••••" or "ending", else the first group of four that
    is not part of a date ("Visa 4242, expires 2027" names 4242)."""
    named = re.findall(r"(?:\bending\s+|•+\s*)(\d{4})(?!\d)", label, flags=re.IGNORECASE)
    if named:
        return str(named[-1])
    groups = re.findall(r"(?<![\d/])\d{4}(?![\d/])", label)
    return str(groups[0]) if groups else None


def redact_card_like(text: str) -> str:
    """Cut anything in free text that looks like a full card number to "•••• NNNN" (its last four)."""

    def shorten(match: re.Match[str]) -> str:
        return f"{CARD_MASK} " + re.sub(r"\D", "", match.group(0))[-4:]

    return compiled(_CARD_LIKE).sub(shorten, text)
