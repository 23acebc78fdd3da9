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


def redact_card_numbers(label: str) -> str:
    """Replace any run of more than four digits with "ending NNNN" (its last four)."""

    def shorten(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) <= 4:
            return match.group(0)
        return f"ending {digits[-4:]}"

    shortened = compiled(_DIGIT_RUN).sub(shorten, label)
    # "Visa ending ending 4242" when the user already wrote "ending" before the number.
    shortened = re.sub(r"\b(ending\s+)+ending\b", "ending", shortened, flags=re.IGNORECASE)
    # A bare number names no kind of card: "my card ending 1111", never "my ending 1111".
    return "card " + shortened if shortened.lower().startswith("ending ") else shortened


def last_four(label: str) -> str | None:
    """The last four digits named in a label, if any."""
    groups = re.findall(r"\d{4}", label)
    return groups[-1] if groups else None


def redact_card_like(text: str) -> str:
    """Cut anything in free text that looks like a full card number to "card ending NNNN" (its last four)."""

    def shorten(match: re.Match[str]) -> str:
        before = text[: match.start()].rstrip().lower()
        word = "ending " if before.endswith("card") else "card ending "
        return word + re.sub(r"\D", "", match.group(0))[-4:]

    return compiled(_CARD_LIKE).sub(shorten, text)
