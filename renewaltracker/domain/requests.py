"""Requests: what the user asks a vendor for, and how it ended."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from renewaltracker.domain.errors import ValidationError, message_money
from renewaltracker.domain.money import normalize_currency, parse_amount, quantize
from renewaltracker.i18n import N_, _

E = TypeVar("E", bound=StrEnum)


class RequestKind(StrEnum):
    CANCEL = "cancel"
    REFUND = "refund"
    STOP_PAYMENT = "stop-payment"
    DISPUTE = "dispute"
    PRICE = "price"

    @property
    def label(self) -> str:
        """The kind in the interface language, lower case ("price objection")."""
        return _(_KIND_LABELS[self])


class RequestState(StrEnum):
    OPEN = "open"
    WAITING = "waiting"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        """The state in the interface language, lower case."""
        return _(_STATE_LABELS[self])


class Outcome(StrEnum):
    WON = "won"
    PARTLY = "partly"
    LOST = "lost"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        """The outcome in the interface language, lower case ("partly won")."""
        return _(_OUTCOME_LABELS[self])


_KIND_LABELS = {
    RequestKind.CANCEL: N_("cancellation"),
    RequestKind.REFUND: N_("refund"),
    RequestKind.STOP_PAYMENT: N_("stop payment"),
    RequestKind.DISPUTE: N_("dispute"),
    RequestKind.PRICE: N_("price objection"),
}
_STATE_LABELS = {
    RequestState.OPEN: N_("open"),
    RequestState.WAITING: N_("waiting"),
    RequestState.RESOLVED: N_("resolved"),
}
_OUTCOME_LABELS = {
    Outcome.WON: N_("won"),
    Outcome.PARTLY: N_("partly won"),
    Outcome.LOST: N_("lost"),
    Outcome.DROPPED: N_("dropped"),
}


def parse_choice(enum: type[E], text: str, field: str) -> E:
    """The enum member named by `text` ("stop payment" and "stop_payment" read as "stop-payment")."""
    cleaned = "-".join((text or "").strip().lower().replace("_", " ").split())
    try:
        return enum(cleaned)
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise ValidationError(
            field, _("{text!r} is not one of: {choices}").format(text=text, choices=choices)
        ) from None


@dataclass(frozen=True, slots=True)
class Request:
    """One request to a vendor about a subscription, optionally about one charge."""

    subscription_id: int
    kind: RequestKind
    opened_on: date
    currency: str
    charge_id: int | None = None
    amount: Decimal | None = None
    state: RequestState = RequestState.OPEN
    outcome: Outcome | None = None
    recovered: Decimal | None = None
    resolved_on: date | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        currency = normalize_currency(self.currency)
        set_(self, "currency", currency)
        set_(self, "kind", RequestKind(self.kind))
        set_(self, "state", RequestState(self.state))
        for name in ("amount", "recovered"):
            value = getattr(self, name)
            if value is not None:
                value = quantize(parse_amount(value), currency)
                if value < 0:
                    raise ValidationError(name, _("cannot be negative"))
                set_(self, name, value)
        if self.outcome is not None:
            set_(self, "outcome", Outcome(self.outcome))
        if (self.state is RequestState.RESOLVED) != (self.outcome is not None):
            raise ValidationError("outcome", _("a request has an outcome exactly when it is resolved"))

    @property
    def is_resolved(self) -> bool:
        return self.state is RequestState.RESOLVED

    def resolve(self, outcome: Outcome, on: date, recovered: Decimal | None = None) -> Request:
        """The request closed with `outcome`; a win without an amount recovers the amount asked."""
        if self.is_resolved:
            raise ValidationError(
                "request",
                _("request {id} is already resolved ({outcome})").format(
                    id=self.id, outcome=self.outcome.label if self.outcome else ""
                ),
            )
        if outcome is Outcome.WON and recovered is None:
            recovered = self.amount
        if outcome in (Outcome.LOST, Outcome.DROPPED):
            if recovered:
                raise ValidationError("amount", _("a request {outcome} recovers nothing").format(outcome=outcome.label))
            recovered = None
        if outcome is Outcome.PARTLY and not recovered:
            raise ValidationError("amount", _("say how much came back (--amount) for a partly won request"))
        if recovered is not None and self.amount is not None and recovered > self.amount:
            raise ValidationError(
                "amount",
                _("{recovered} is more than the {amount} asked").format(
                    recovered=message_money(recovered, self.currency), amount=message_money(self.amount, self.currency)
                ),
            )
        return replace(self, state=RequestState.RESOLVED, outcome=outcome, recovered=recovered, resolved_on=on)

    def waiting(self) -> Request:
        """The vendor has the request and the user waits for an answer."""
        return self if self.is_resolved else replace(self, state=RequestState.WAITING)
