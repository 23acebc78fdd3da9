"""Money as Decimal amounts with ISO 4217 currencies, rounded to the currency's minor units."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import _

# Codes Babel lists that are not money one can be billed in (precious metals, testing, fund codes).
_NOT_BILLABLE = frozenset({"XAU", "XAG", "XPT", "XPD", "XTS", "XXX", "XBA", "XBB", "XBC", "XBD", "XDR", "XSU", "XUA"})
# Far above any real price, and far below what Decimal's 28 digits can still round and total exactly.
MAX_AMOUNT = Decimal(10**15)


@cache
def currency_codes() -> frozenset[str]:
    """All ISO 4217 codes a subscription may be billed in."""
    # Babel loads on first use: the window's first rows are built and painted without it (domain/format_shapes.py).
    from babel.numbers import list_currencies

    return frozenset(code for code in list_currencies() if len(code) == 3 and code not in _NOT_BILLABLE)


def normalize_currency(code: str, field: str = "currency") -> str:
    """Return the upper-case ISO 4217 code, or raise naming the field."""
    cleaned = (code or "").strip().upper()
    if cleaned not in currency_codes():
        raise ValidationError(
            field, _("{code!r} is not an ISO 4217 currency code (e.g. USD, EUR, JPY)").format(code=code)
        )
    return cleaned


@cache
def minor_units(currency: str) -> int:
    """Number of decimal places the currency uses (JPY 0, USD 2, BHD 3)."""
    from babel.numbers import get_currency_precision

    return int(get_currency_precision(currency))


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round to the currency's minor units (banker's rounding, as accounting does)."""
    exponent = Decimal(1).scaleb(-minor_units(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_EVEN)


def parse_amount(value: str | Decimal | int, field: str = "amount") -> Decimal:
    """Parse a user-entered amount ("9,99", "1.299,00 €"); refuses NaN, infinity, negatives and huge values."""
    # Imported here: the reader builds on this module's currency tables, so it cannot be imported at the top.
    from renewaltracker.domain.amounts import read_amount

    return read_amount(value, field).value


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount in one currency."""

    amount: Decimal
    currency: str

    @classmethod
    def of(cls, amount: str | Decimal | int, currency: str) -> Money:
        """Validate and round a user-entered amount and currency."""
        code = normalize_currency(currency)
        return cls(quantize(parse_amount(amount), code), code)

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
