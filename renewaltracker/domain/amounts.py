"""Reading amounts and currencies as people type them: "9,99", "1.299,00 €", "$39.99", "euro"."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError, default_locale
from babel.numbers import get_currency_name, get_decimal_symbol, get_territory_currencies

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.money import MAX_AMOUNT, currency_codes, minor_units
from renewaltracker.i18n import _

# Group separators that can never be a decimal mark: spaces of every width and apostrophes (Swiss style).
_GROUP_ONLY = " \u00a0\u202f\u2009'\u2019"
_NUMBER_CHARS = "0123456789.," + _GROUP_ONLY
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Everyday words Babel's names ("Japanese Yen", "British Pound") do not cover; "dollar" is handled apart.
_ALIASES = {"pound": "GBP", "pounds": "GBP", "quid": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY"}
# Listed first in pickers: the currencies most subscriptions are billed in.
COMMON_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "INR", "BRL")


def user_locale() -> str:
    """The locale numbers are written in here: RENEWALTRACKER_LOCALE, else the environment, else en_US."""
    chosen = os.environ.get("RENEWALTRACKER_LOCALE") or default_locale("LC_NUMERIC") or "en_US"
    return _known_locale(chosen)


@cache
def _known_locale(name: str) -> str:
    try:
        return str(Locale.parse(name.split(".")[0].replace("-", "_")))
    except (ValueError, UnknownLocaleError):
        return "en_US"


@dataclass(frozen=True, slots=True)
class ReadAmount:
    """An amount read from text; `ambiguous` means a lone separator was resolved by locale or currency."""

    value: Decimal
    currency: str | None
    ambiguous: bool
    text: str

    def note(self) -> str:
        """One line to show the user how an ambiguous amount was read."""
        return f"read {self.text.strip()} as {self.value:f}"


def read_amount(
    text: str | Decimal | int, field: str = "amount", *, locale: str | None = None, currency: str | None = None
) -> ReadAmount:
    """Read a non-negative amount with optional currency; `currency` is the one already chosen, if any."""
    if isinstance(text, Decimal | int):
        return ReadAmount(_checked(Decimal(text), str(text), field), None, False, str(text))
    raw = str(text)
    if "\x00" in raw or _CONTROL.search(raw):
        raise ValidationError(field, _("{raw!r} contains control characters").format(raw=raw))
    number, marker = _split_marker(raw.strip(), field)
    found = read_currency(marker, field="currency", locale=locale) if marker else None
    known = found or (currency.strip().upper() if currency and currency.strip() else None)
    if number.lower().lstrip("+-") in {"nan", "snan", "inf", "infinity"}:
        raise ValidationError(field, _("{raw!r} is not a finite number").format(raw=raw))
    if number.startswith("-"):
        raise ValidationError(field, _("must not be negative"))
    plain, ambiguous = _plain_number(number.removeprefix("+"), raw, field, locale, known)
    try:
        value = Decimal(plain)
    except InvalidOperation:
        raise ValidationError(field, _("{raw!r} is not a number").format(raw=raw)) from None
    return ReadAmount(_checked(value, raw, field), found, ambiguous, raw)


def _checked(amount: Decimal, shown: str, field: str) -> Decimal:
    if not amount.is_finite():
        raise ValidationError(field, _("{shown!r} is not a finite number").format(shown=shown))
    if amount < 0:
        raise ValidationError(field, _("must not be negative"))
    if amount >= MAX_AMOUNT:
        raise ValidationError(
            field,
            _("{shown!r} is too large (must be less than {max_amount:,})").format(shown=shown, max_amount=MAX_AMOUNT),
        )
    return amount.copy_abs()  # "-0" is zero, not a negative amount shown as "-0.00"


def _split_marker(text: str, field: str) -> tuple[str, str]:
    """Separate the number from a currency symbol, code or name written before or after it."""
    start = 0
    while start < len(text) and text[start] not in "0123456789.,+-":
        start += 1
    end = len(text)
    while end > start and text[end - 1] not in "0123456789.,":
        end -= 1
    before, number, after = text[:start].strip(), text[start:end].strip(), text[end:].strip()
    if before and after:
        raise ValidationError(field, _("{text!r} names a currency twice").format(text=text))
    if not number:
        if text.strip().lower().lstrip("+-") in {"nan", "snan", "inf", "infinity"}:
            return text, ""
        raise ValidationError(field, _("{text!r} is not a number").format(text=text))
    sign = ""
    if before.endswith(("-", "+")):  # "€-5" / "$+5": the sign belongs to the number
        sign, before = before[-1], before[:-1].strip()
    return sign + number, before or after


def _plain_number(number: str, raw: str, field: str, locale: str | None, currency: str | None) -> tuple[str, bool]:
    """Turn "1.299,00", "1 299,00", "1'299.00", "9,99" into "1299.00"/"9.99"; True when it was a guess."""
    if any(char not in _NUMBER_CHARS for char in number):
        raise ValidationError(field, _("{raw!r} is not a number").format(raw=raw))
    marks = [char for char in number if char in ".,"]
    has_group_only = any(char in _GROUP_ONLY for char in number)
    ambiguous = False
    decimal_mark: str | None
    if not marks:
        decimal_mark = None
    elif len(set(marks)) == 2:
        decimal_mark = number[max(number.rfind("."), number.rfind(","))]
        if marks.count(decimal_mark) > 1:
            raise ValidationError(field, _("{raw!r} is not a number").format(raw=raw))
    elif len(marks) > 1:
        decimal_mark = None  # "1.299.000" or "1,299,000": only groups
    else:
        mark = marks[0]
        head, tail = number.split(mark)
        digits_before = head.replace(" ", "")
        if len(tail) == 3 and not has_group_only and 1 <= len(digits_before) <= 3 and digits_before[0] != "0":
            ambiguous = True
            decimal_mark = mark if _lone_mark_is_decimal(mark, locale, currency) else None
        else:
            decimal_mark = mark
    whole, _mark, fraction = number.partition(decimal_mark) if decimal_mark else (number, "", "")
    groups = re.split(r"[.,'\u2019 \u00a0\u202f\u2009]", whole)
    if len(groups) > 1 and not _well_grouped(groups):
        raise ValidationError(
            field, _("{raw!r} is not a number (its thousands separators are misplaced)").format(raw=raw)
        )
    if not fraction.isdigit() and fraction:
        raise ValidationError(field, _("{raw!r} is not a number").format(raw=raw))
    plain = "".join(groups) + ("." + fraction if fraction else "")
    if not plain.strip(".") or not plain.replace(".", "").isdigit():
        raise ValidationError(field, _("{raw!r} is not a number").format(raw=raw))
    return plain, ambiguous


def _well_grouped(groups: list[str]) -> bool:
    # The last group has three digits; middle ones three, or two for Indian lakh/crore grouping ("12,34,567").
    # The first may be longer: CLDR's Swiss currency pattern groups only once ("CHF 1000000'000.00").
    first, *middle, last = groups
    return len(first) >= 1 and len(last) == 3 and all(len(g) in (2, 3) for g in middle)


def _lone_mark_is_decimal(mark: str, locale: str | None, currency: str | None) -> bool:
    """Decide "1,299": a currency with 3 decimals (BHD) or none known says decimal by locale."""
    if currency in currency_codes():
        return minor_units(currency) == 3
    return bool(get_decimal_symbol(_known_locale(locale) if locale else user_locale()) == mark)


# --- currencies ---------------------------------------------------------------------------------------------------


def read_currency(text: str, field: str = "currency", *, locale: str | None = None) -> str:
    """The ISO 4217 code for a typed code, name or symbol ("eur", "euro", "€", "US dollars"), or raise."""
    key = " ".join((text or "").split()).lower()
    if not key:
        raise ValidationError(field, _("is missing (e.g. USD, EUR, JPY)"))
    name = _known_locale(locale) if locale else user_locale()
    if key.upper() in currency_codes():
        return key.upper()
    found, ambiguous = _currency_index(name)
    if key in found:
        return found[key]
    if key in ambiguous:
        options = ", ".join(sorted(ambiguous[key]))
        raise ValidationError(field, _("{text!r} could be {options}; give the code").format(text=text, options=options))
    raise ValidationError(
        field, _("{text!r} is not a currency code, name or symbol (e.g. USD, EUR, JPY)").format(text=text)
    )


def local_currency(locale: str | None = None) -> str | None:
    """The currency of the locale's territory (EUR for de_DE), if Babel knows one."""
    parsed = Locale.parse(_known_locale(locale) if locale else user_locale())
    codes = get_territory_currencies(parsed.territory) if parsed.territory else []
    return next((code for code in codes if code in currency_codes()), None)


@cache
def _currency_index(locale: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Names and symbols → code, the locale's own currency first, then the locale's words, then English."""
    found: dict[str, str] = {}
    ambiguous: dict[str, set[str]] = {}
    own = local_currency(locale)
    tiers: list[dict[str, set[str]]] = []
    if own:
        tiers.append({word: {own} for word in _words(own, locale)})
    for language in (locale, "en"):
        tier: dict[str, set[str]] = {}
        for code in sorted(currency_codes()):
            for word in _words(code, language):
                tier.setdefault(word, set()).add(code)
        tiers.append(tier)
    dollar = own if own and "dollar" in get_currency_name(own, locale="en").lower() else None
    tiers.append({"dollar": {dollar} if dollar else {"USD", "CAD", "AUD", "NZD"}})
    tiers[-1]["dollars"] = tiers[-1]["dollar"]
    tiers.append({word: {code} for word, code in _ALIASES.items()})
    for tier in tiers:
        for word, codes in tier.items():
            if word in found or word in ambiguous:
                continue
            if len(codes) == 1:
                found[word] = next(iter(codes))
            else:
                ambiguous[word] = codes
    return found, ambiguous


def _words(code: str, locale: str) -> set[str]:
    parsed = Locale.parse(locale)
    words = {
        parsed.currency_symbols.get(code, ""),
        get_currency_name(code, locale=locale),
        get_currency_name(code, count=1, locale=locale),
        get_currency_name(code, count=2, locale=locale),
    }
    return {" ".join(word.split()).lower() for word in words if word and word != code}


def currency_choices() -> list[str]:
    """Every billable code, the common ones first, the rest alphabetical."""
    rest = sorted(currency_codes() - set(COMMON_CURRENCIES))
    return [code for code in COMMON_CURRENCIES if code in currency_codes()] + rest


__all__ = [
    "COMMON_CURRENCIES",
    "ReadAmount",
    "currency_choices",
    "local_currency",
    "read_amount",
    "read_currency",
    "user_locale",
]
