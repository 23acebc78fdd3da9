"""Subscriptions, charges and the rules that keep them valid."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from itertools import repeat
from operator import attrgetter, call, itemgetter
from typing import TYPE_CHECKING, Any

from renewaltracker.domain.channels import Channel
from renewaltracker.domain.errors import ValidationError, message_day
from renewaltracker.domain.interval import Interval
from renewaltracker.domain.languages import parse_letter_language
from renewaltracker.domain.money import normalize_currency, parse_amount, quantize
from renewaltracker.domain.patterns import compiled
from renewaltracker.domain.payment import redact_card_like, redact_card_numbers
from renewaltracker.domain.schedule import Pause, Schedule, check_date, plain_next_charge
from renewaltracker.i18n import _, ngettext

_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
# Exactly one address: a comma, semicolon or angle bracket would let "a,attacker@evil.example" add a recipient.
ONE_ADDRESS = r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$"
# The longest text each field keeps (the database columns are sized alike); longer is refused, never cut.
TEXT_LIMITS = {
    "name": 200,
    "vendor": 200,
    "category": 100,
    "payment_method": 100,
    "account": 200,
    "order_number": 100,
    "support_email": 200,
    "cancel_url": 500,
    "notes": 10_000,
}
CHARGE_TEXT_LIMITS = {"reference": 200, "source": 20, "note": 10_000}
_URL = r"^https?://\S+$"
MAX_LEAD_DAYS = 366
# Line breaks, tabs and other control characters (C0, DEL, C1, Unicode line/paragraph separators).
_CONTROL_RUN = r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+"
# Bounds that keep counts meaningful and inside SQLite's 64-bit integers.
MAX_END_COUNT = 100_000
MAX_SPLIT = 1_000


class Status(StrEnum):
    ACTIVE = "active"
    TRIAL = "trial"
    PAUSED = "paused"
    CANCELLED = "cancelled"


class StatusChange(StrEnum):
    """A status change the user can ask for; `Subscription.refusal` says whether it applies."""

    PAUSE = "pause"
    RESUME = "resume"  # also undoes a cancellation
    CANCEL = "cancel"  # mark cancelled


class ChargeStatus(StrEnum):
    CHARGED = "charged"
    NOT_CHARGED = "not_charged"
    REFUNDED = "refunded"
    DISPUTED = "disputed"


def trial_status(trial_end: date | None, today: date) -> Status:
    """TRIAL while a free trial has not ended yet, else ACTIVE: the one rule for new and edited subscriptions."""
    return Status.TRIAL if trial_end is not None and trial_end >= today else Status.ACTIVE


def check_text_limits(record: object, limits: dict[str, int]) -> None:
    """Refuse NUL characters (they end strings in C tools and SQLite's text functions) and over-long text."""
    for name, limit in limits.items():
        value = getattr(record, name)
        label = name.replace("_", "-")
        if "\x00" in value:
            raise ValidationError(label, _("contains a NUL character"))
        if len(value) > limit:
            raise ValidationError(
                label,
                ngettext(
                    "is longer than {limit} character ({count})", "is longer than {limit} characters ({count})", limit
                ).format(limit=limit, count=len(value)),
            )


def single_line(text: str, field: str) -> str:
    """The text on one line: line breaks and other control characters become one space; NUL is refused."""
    if "\x00" in text:
        raise ValidationError(field, _("contains a NUL character"))
    return compiled(_CONTROL_RUN).sub(" ", text).strip()


def _check_days(value: int | None, name: str) -> None:
    if value is not None and (not isinstance(value, int) or value < 0 or value > MAX_LEAD_DAYS):
        raise ValidationError(
            name, _("must be a whole number of days from 0 to {max_lead_days}").format(max_lead_days=MAX_LEAD_DAYS)
        )


def parse_lead_days(text: str, field_name: str = "remind") -> tuple[int, ...]:
    """Parse "7,1" into (7, 1): distinct days, largest first."""
    parts = [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]
    days: set[int] = set()
    for part in parts:
        if not (part.isascii() and part.isdigit()):  # int() refuses "²" and thousands of digits alike
            raise ValidationError(field_name, _("{part!r} is not a whole number of days").format(part=part))
        value = int(part) if len(part) <= 9 else MAX_LEAD_DAYS + 1
        _check_days(value, field_name)
        days.add(value)
    return tuple(sorted(days, reverse=True))


def normalize_tags(tags: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Tags on one line each, without commas (the CLI's separator), duplicates dropped ignoring case, sorted."""
    seen: dict[str, str] = {}
    for tag in tags:
        clean = single_line(str(tag).replace(",", " "), "tags")
        if len(clean) > 50:
            raise ValidationError("tags", _("{clean!r}… is longer than 50 characters").format(clean=clean[:20]))
        if clean:
            seen.setdefault(clean.casefold(), clean)
    return tuple(sorted(seen.values(), key=str.casefold))


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags from "work, family": comma separated."""
    return normalize_tags((text or "").split(","))


@dataclass(frozen=True, slots=True)
class Subscription:
    """Something that renews by itself, with all the user knows about it."""

    name: str
    amount: Decimal
    currency: str
    interval: Interval
    anchor: date | None = None
    id: int | None = None
    vendor: str = ""
    category: str = ""
    notes: str = ""
    status: Status = Status.ACTIVE
    trial_end: date | None = None
    end_date: date | None = None
    end_count: int | None = None
    cancelled_on: date | None = None
    pauses: tuple[Pause, ...] = ()
    keep_clipped_day: bool = False
    notice_days: int | None = None
    refund_days: int | None = None
    reminder_days: tuple[int, ...] | None = None
    payment_method: str = ""
    account: str = ""
    order_number: str = ""
    purchase_date: date | None = None
    support_email: str = ""
    cancel_url: str = ""
    postal_address: str = ""  # the vendor's, for letters on paper; commas separate its lines
    channel: Channel = Channel.OTHER
    letter_language: str = ""  # the language letters to this vendor are written in; "" follows the interface
    last_used: date | None = None
    tags: tuple[str, ...] = ()
    split_between: int | None = None
    fixed_share: Decimal | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    revision: int = 0
    # Built once in __post_init__: the object is immutable and views ask for its schedule very often.
    schedule: Schedule = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        name = single_line(self.name or "", "name")
        if not name:
            raise ValidationError("name", _("is required"))
        if len(name) > 200:
            raise ValidationError("name", _("is longer than 200 characters"))
        set_(self, "name", name)
        currency = normalize_currency(self.currency)
        set_(self, "currency", currency)
        set_(self, "amount", quantize(parse_amount(self.amount), currency))
        if self.anchor is None and self.trial_end is None:
            raise ValidationError(
                "start", _("is required (the date of the first paid charge) unless a trial end is given")
            )
        if self.end_date is not None and self.anchor_date > self.end_date:
            raise ValidationError(
                "end",
                _("the last date {end_date} is before the first charge {anchor_date}").format(
                    end_date=message_day(self.end_date), anchor_date=message_day(self.anchor_date)
                ),
            )
        if self.end_count is not None and self.end_count < 1:
            raise ValidationError("end-count", _("must be at least 1 charge"))
        for days, label in ((self.notice_days, "notice-days"), (self.refund_days, "refund-days")):
            _check_days(days, label)
        if self.reminder_days is not None:
            for days in self.reminder_days:
                _check_days(days, "remind")
            set_(self, "reminder_days", tuple(sorted(set(self.reminder_days), reverse=True)))
        set_(self, "payment_method", redact_card_numbers(self.payment_method.strip()))
        # Free text is where a pasted card number would otherwise slip into the database and exports.
        set_(self, "notes", redact_card_like(self.notes))
        set_(self, "account", redact_card_like(self.account))
        support = self.support_email.strip()
        if support and not compiled(_EMAIL).match(support):
            raise ValidationError("support-email", _("{support!r} is not an email address").format(support=support))
        set_(self, "support_email", support)
        url = self.cancel_url.strip()
        if url and not compiled(_URL, re.IGNORECASE).match(url):
            raise ValidationError(
                "cancel-url", _("{url!r} is not a web address starting with http:// or https://").format(url=url)
            )
        set_(self, "cancel_url", url)
        if self.split_between is not None and self.split_between < 1:
            raise ValidationError("split", _("must be shared between at least 1 person"))
        if self.fixed_share is not None:
            share = quantize(parse_amount(self.fixed_share, "share"), currency)
            if share > self.amount:
                raise ValidationError(
                    "share",
                    _("your share {share} is more than the whole amount {amount}").format(
                        share=share, amount=self.amount
                    ),
                )
            set_(self, "fixed_share", share)
        if self.split_between is not None and self.fixed_share is not None:
            raise ValidationError("share", _("give either a split between people or a fixed share, not both"))
        if self.status is Status.CANCELLED and self.cancelled_on is None:
            raise ValidationError("status", _("a cancelled subscription needs the date its cancellation takes effect"))
        if self.status is Status.PAUSED and not any(p.end is None for p in self.pauses):
            raise ValidationError("status", _("a paused subscription needs an open pause"))
        set_(self, "channel", Channel(self.channel))
        set_(self, "letter_language", parse_letter_language(self.letter_language))
        set_(self, "tags", normalize_tags(self.tags))
        for text_field in ("vendor", "category", "account", "order_number", "postal_address"):
            set_(self, text_field, single_line(getattr(self, text_field), text_field.replace("_", "-")))
        set_(self, "schedule", self._build_schedule())

    def check_limits(self) -> None:
        """Refuse dates and counts beyond what the app computes with; checked when saving, not when loading,
        so that a record saved before these limits existed still opens and can be corrected."""
        check_text_limits(self, TEXT_LIMITS)
        if self.support_email and not compiled(ONE_ADDRESS).match(self.support_email):
            raise ValidationError(
                "support-email",
                _("{support_email!r} is not one email address").format(support_email=self.support_email),
            )
        for day, label in (
            (self.anchor, "start"),
            (self.trial_end, "trial-end"),
            (self.cancelled_on, "effective"),
            (self.purchase_date, "purchase-date"),
            (self.last_used, "used"),
        ):
            check_date(day, label)
        for pause in self.pauses:
            check_date(pause.start, "from")
            check_date(pause.end, "until")
        if self.end_count is not None and self.end_count > MAX_END_COUNT:
            raise ValidationError(
                "end-count", _("must be from 1 to {max_end_count:,} charges").format(max_end_count=MAX_END_COUNT)
            )
        if self.split_between is not None and self.split_between > MAX_SPLIT:
            raise ValidationError(
                "split", _("must be shared between 1 and {max_split:,} people").format(max_split=MAX_SPLIT)
            )

    @property
    def anchor_date(self) -> date:
        """The first paid charge: the anchor, or the trial end when no anchor was given."""
        if self.anchor is not None:
            return self.anchor
        assert self.trial_end is not None  # checked in __post_init__
        return self.trial_end

    @classmethod
    def from_normalised(cls, values: dict[str, Any]) -> Subscription:
        """A subscription from every field's value as `__post_init__` left it (a row this version saved), without
        checking and normalising it again: a tenth of the cost, for reading thousands of rows that are only
        looked at. tests/storage/test_trusted_rows.py holds it equal to the checking constructor."""
        return cls._from_fields(_take_init_fields(values))

    @classmethod
    def many_from_normalised(cls, columns: Mapping[str, Iterable[Any]]) -> list[Subscription]:
        """`from_normalised` of each row of `columns` (each field's values, row by row), without a dict per row."""
        return list(map(cls._from_fields, zip(*(columns[name] for name in _INIT_FIELDS), strict=True)))

    @classmethod
    def _from_fields(cls, values: tuple[Any, ...]) -> Subscription:
        """From every constructor field's value, in declaration order."""
        self = object.__new__(cls)
        # One loop in C over the fields' slots instead of a Python call each (a reminder check builds 10,000).
        _discard(map(call, _SLOT_SETTERS, repeat(self), values))
        channel = _CHANNELS.get(self.channel)  # stored as its text; an enum call costs more than the lookup
        object.__setattr__(self, "channel", channel if channel is not None else Channel(self.channel))
        # The schedule's slots written the same way (it has no checks of its own to skip).
        schedule = object.__new__(Schedule)
        _discard(map(call, _SCHEDULE_SETTERS, repeat(schedule), _take_schedule_fields(self)))
        object.__setattr__(self, "schedule", schedule)
        return self

    def _build_schedule(self) -> Schedule:
        return Schedule(
            anchor=self.anchor_date,
            interval=self.interval,
            keep_clipped_day=self.keep_clipped_day,
            end_date=self.end_date,
            end_count=self.end_count,
            cancelled_on=self.cancelled_on,
            pauses=self.pauses,
        )

    @property
    def user_amount(self) -> Decimal:
        """What the user really pays per charge once the cost is shared."""
        return self.share_of(self.amount)

    def share_of(self, amount: Decimal) -> Decimal:
        """The user's share of a charge of `amount` (a fixed share never exceeds the charge itself)."""
        if self.fixed_share is not None:
            return min(self.fixed_share, amount)
        if self.split_between:
            return quantize(amount / self.split_between, self.currency)
        return amount

    @property
    def is_shared(self) -> bool:
        return self.fixed_share is not None or (self.split_between or 1) > 1

    def status_on(self, today: date) -> Status:
        """The status as of a day: a trial whose end has passed has become a paid plan, and a plan inside a pause
        with an end (`pause --until`) is paused for its length, though its stored status stays what it was."""
        status = self.status
        if status is Status.TRIAL and self.trial_end is not None and self.trial_end < today:
            status = Status.ACTIVE
        if self.pauses and status is not Status.CANCELLED and any(p.covers(today) for p in self.pauses):
            return Status.PAUSED
        return status

    def next_charge(self, on_or_after: date) -> date | None:
        schedule = self.schedule
        # A plain schedule (the usual one) without its general walk: tests/domain/test_plain_next_charge.py.
        if schedule.end_date is None and schedule.end_count is None and schedule.cancelled_on is None:
            days, months = schedule.interval.days, schedule.interval.months
            if not schedule.pauses and (days or not schedule.keep_clipped_day or schedule.anchor.day <= 28):
                return plain_next_charge(schedule.anchor, days, months, on_or_after)
        return schedule.next_charge(on_or_after)

    def lead_days(self, default: tuple[int, ...]) -> tuple[int, ...]:
        """Reminder lead times: the subscription's own, or the default from settings."""
        return self.reminder_days if self.reminder_days is not None else default

    def refusal(self, change: StatusChange, today: date | None = None) -> str | None:
        """Why `change` does not apply in the current status, or None when it does: the one rule that the
        transitions below, the window's actions, the editor, the tray and the CLI all follow. Given `today`, a
        pause with an end that covers it can be resumed early."""
        if change is StatusChange.CANCEL:
            cancelled = self.status is Status.CANCELLED
            return _("is already cancelled (resume undoes a cancellation)") if cancelled else None
        if change is StatusChange.PAUSE:
            if self.status is Status.CANCELLED:
                return _("a cancelled subscription cannot be paused")
            return _("is already paused") if self.status is Status.PAUSED else None
        if self.status is Status.CANCELLED or any(p.end is None for p in self.pauses):
            return None
        if today is not None and any(p.covers(today) for p in self.pauses):
            return None
        return _("is neither paused nor cancelled")

    def allows(self, change: StatusChange, today: date | None = None) -> bool:
        return self.refusal(change, today) is None

    def allowed_changes(self, today: date | None = None) -> frozenset[StatusChange]:
        return frozenset(change for change in StatusChange if self.allows(change, today))

    def _check(self, change: StatusChange, today: date | None = None) -> None:
        reason = self.refusal(change, today)
        if reason is not None:
            raise ValidationError("status", reason)

    def cancel(self, effective: date) -> Subscription:
        self._check(StatusChange.CANCEL)
        return replace(self, status=Status.CANCELLED, cancelled_on=effective)

    def pause(self, start: date, until: date | None = None) -> Subscription:
        self._check(StatusChange.PAUSE)
        pause = Pause(start, until)
        status = Status.PAUSED if until is None else self.status
        return replace(self, status=status, pauses=(*self.pauses, pause))

    def resume(self, on: date) -> Subscription:
        """Close the open pause, or end early the one `on` falls in (and undo a cancellation), so charges from `on`
        are due again."""
        self._check(StatusChange.RESUME, on)
        # A pause left open under an undone cancellation would hold back every charge of an "active" plan.
        closed = tuple(
            (Pause(p.start, on) if on > p.start else None) if p.end is None or p.covers(on) else p for p in self.pauses
        )
        status = Status.TRIAL if self.status is Status.TRIAL else Status.ACTIVE  # a pause inside a trial ended early
        return replace(self, status=status, cancelled_on=None, pauses=tuple(p for p in closed if p is not None))


# The fields `from_normalised` sets: every one the constructor takes; and their slots.
_INIT_FIELDS = tuple(spec.name for spec in fields(Subscription) if spec.init)
_take_init_fields = itemgetter(*_INIT_FIELDS)
# Each field's slot written directly (what object.__setattr__ ends in, without looking the name up each time).
_SLOT_SETTERS: tuple[Callable[[Subscription, Any], None], ...] = tuple(
    Subscription.__dict__[name].__set__ for name in _INIT_FIELDS
)
# The schedule's fields as `_build_schedule` fills them (its anchor is the subscription's anchor date), and their
# slot setters: a field added to Schedule is read from the subscription field of its name.
_SCHEDULE_FIELDS = tuple(spec.name for spec in fields(Schedule))
_take_schedule_fields = attrgetter(*("anchor_date" if name == "anchor" else name for name in _SCHEDULE_FIELDS))
_SCHEDULE_SETTERS: tuple[Callable[[Schedule, Any], None], ...] = tuple(
    Schedule.__dict__[name].__set__ for name in _SCHEDULE_FIELDS
)
_CHANNELS = {channel.value: channel for channel in Channel}
# Runs an iterator to its end, keeping nothing.
_discard: Callable[[Iterable[None]], None] = deque[None](maxlen=0).extend


if TYPE_CHECKING:
    from renewaltracker.domain.charges import Charge as Charge
else:

    def __getattr__(name: str) -> Any:
        # `Charge` (domain/charges.py) is defined when first asked for here: the window's first rows need none,
        # and a frozen slotted dataclass costs about a millisecond to define.
        if name == "Charge":
            from renewaltracker.domain.charges import Charge

            return Charge
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
