"""A charge that was actually made (or recorded as not made), as named in refund requests and the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import date as _date
from decimal import Decimal

from renewaltracker.domain.errors import ValidationError, message_day, message_money
from renewaltracker.domain.money import normalize_currency, parse_amount, quantize
from renewaltracker.domain.payment import redact_card_like
from renewaltracker.domain.subscription import ChargeStatus
from renewaltracker.i18n import _


@dataclass(frozen=True, slots=True)
class Charge:
    """A charge that was actually made (or recorded as not made), to name in a refund request."""

    subscription_id: int
    date: date
    amount: Decimal
    currency: str
    reference: str = ""
    source: str = "manual"
    status: ChargeStatus = ChargeStatus.CHARGED
    id: int | None = None
    note: str = ""
    # What came back and when; set with status REFUNDED (a partial refund is less than the amount).
    refunded_amount: Decimal | None = None
    refunded_on: _date | None = None

    def __post_init__(self) -> None:
        currency = normalize_currency(self.currency)
        object.__setattr__(self, "currency", currency)
        object.__setattr__(self, "amount", quantize(parse_amount(self.amount), currency))
        object.__setattr__(self, "status", ChargeStatus(self.status))
        if self.refunded_amount is not None:
            refunded = quantize(parse_amount(self.refunded_amount), currency)
            if refunded <= 0 or refunded > self.amount:
                raise ValidationError(
                    "amount",
                    _("a refund must be more than 0 and at most {amount}").format(
                        amount=message_money(self.amount, currency)
                    ),
                )
            object.__setattr__(self, "refunded_amount", refunded)
        if self.refunded_on is not None and self.refunded_on < self.date:
            raise ValidationError(
                "date",
                _("the refund ({refunded_on}) is before the charge ({date})").format(
                    refunded_on=message_day(self.refunded_on), date=message_day(self.date)
                ),
            )
        object.__setattr__(self, "reference", self.reference.strip())
        object.__setattr__(self, "note", redact_card_like(self.note))
