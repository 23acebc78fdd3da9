"""The reminder engine: when each warning before a charge, trial end or deadline falls due, and what it says."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal
from functools import lru_cache

from renewaltracker.domain.drafts import format_money as letter_money
from renewaltracker.domain.errors import message_day
from renewaltracker.domain.events import Event, EventKind, events_between, price_step_events
from renewaltracker.domain.prices import PriceHistories, amount_on
from renewaltracker.domain.subscription import Charge, ChargeStatus, Subscription
from renewaltracker.i18n import _, current_language, ngettext


def format_day(day: date) -> str:
    """A date in a reminder, spelled out in the interface language ("3 December 2026", "3. Dezember 2026"):
    reminders speak the window's language, letters their own."""
    return message_day(day)


def format_money(amount: Decimal, currency: str) -> str:
    """An amount in a reminder, written the interface language's way ("$2.99", "2,99 $")."""
    # The sign is part of the key: -0 equals 0 but is written differently.
    return _money_text(amount, amount.is_signed(), currency, current_language())


# A batch of thousands of reminders repeats a few hundred amounts, and Babel takes ~0.1 ms for each.
@lru_cache(maxsize=4096)
def _money_text(amount: Decimal, _signed: bool, currency: str, language: str) -> str:
    return letter_money(amount, currency, language)


# The kinds a user is warned about; refund-window ends come from `refund_window_events`, which knows which
# charges were refunded.
REMINDED_KINDS = frozenset(
    {
        EventKind.CHARGE,
        EventKind.TRIAL_END,
        EventKind.CANCEL_BY,
        EventKind.FOLLOW_UP,
        EventKind.REVIEW,
        EventKind.PRICE_STEP,
    }
)
# Events that come from their own sources (contact follow-ups, the periodic review), not from schedules.
EXTRA_KINDS = frozenset({EventKind.FOLLOW_UP, EventKind.REVIEW})
_EXTRA_OR_REFUND = EXTRA_KINDS | {EventKind.REFUND_WINDOW_END}
# A follow-up or review is a date to act on, so it is reminded on the day itself.
FOLLOW_UP_LEAD_DAYS: tuple[int, ...] = (0,)


@dataclass(frozen=True, slots=True, order=True)
class ReminderKey:
    """What makes a reminder itself, independent of the time of day it is shown: recorded once delivered."""

    subscription_id: int
    kind: EventKind
    event_date: date
    lead_days: int

    @property
    def event_id(self) -> tuple[int, EventKind, date]:
        """The event reminded of, whatever the lead time."""
        return self.subscription_id, self.kind, self.event_date

    def text(self) -> str:
        return f"{self.subscription_id}:{self.kind.value}:{self.event_date.isoformat()}:{self.lead_days}"

    @classmethod
    def parse(cls, text: str) -> ReminderKey:
        """The inverse of `text()`; raises ValueError on anything else."""
        parts = text.split(":")
        if len(parts) != 4:
            raise ValueError(f"{text!r} is not a reminder key")
        sid, kind, day, lead = parts
        return cls(int(sid), EventKind(kind), date.fromisoformat(day), int(lead))


# The `kind` of a refund-window reminder shown after a charge the user was away for.
CHARGED_WHILE_AWAY = "charged_while_away"
# A charge-day notice delivered within this time of its due moment was delivered on time: the app was running.
ON_TIME = timedelta(minutes=30)


def needs_refund_reminder(status: ChargeStatus | str) -> bool:
    """Only a charge still standing can be asked back: refunded, disputed, not charged or any later state need not."""
    return str(status) == ChargeStatus.CHARGED.value


@dataclass(frozen=True, slots=True)
class Reminder:
    """One warning: the event it is about, when it falls due, and the cancel-by date guarding a charge.

    `companions` are other reminders of the same subscription for the same moment, delivered as this one;
    `late` marks a charge-day notice caught up after the charge ("charged while you were away")."""

    key: ReminderKey
    due_at: datetime
    event: Event
    cancel_by: date | None = None
    companions: tuple[Reminder, ...] = ()
    late: bool = False

    @property
    def subscription_id(self) -> int:
        return self.event.subscription_id

    @property
    def keys(self) -> tuple[ReminderKey, ...]:
        """Every key this reminder delivers: its own and its companions'."""
        return (self.key, *(c.key for c in self.companions))

    @property
    def is_charge_day_notice(self) -> bool:
        """The refund-window reminder due on the charge day itself (the "charged while away" one when late)."""
        return self.key.kind is EventKind.REFUND_WINDOW_END and self.key.lead_days == self.refund_days

    @property
    def refund_days(self) -> int:
        return (self.event.date - self.event.charge_date).days

    @property
    def kind(self) -> str:
        """What the reminder is about, as `remind --json` names it: the event kind or "charged_while_away"."""
        return CHARGED_WHILE_AWAY if self.late else self.event.kind.value

    def title(self) -> str:
        title = self._own_title()
        if self.companions:
            title += _(" — also {events}").format(events=", ".join(_same_day_phrase(c.event) for c in self.companions))
        return title

    def _own_title(self) -> str:
        # Dates and money as the letters write them ("3 December 2026", "$2.99"): one way, never ambiguous.
        event = self.event
        money = format_money(event.amount, event.currency)
        if event.kind is EventKind.REFUND_WINDOW_END:
            if self.late:
                return _("{name} charged {money} on {day} while you were away").format(
                    name=event.name, money=money, day=format_day(event.charge_date)
                )
            return _("Refund window for {name}'s charge of {money} closes {day}").format(
                name=event.name, money=money, day=format_day(event.date)
            )
        if event.kind is EventKind.CANCEL_BY:
            return _("Cancel {name} by {day} to avoid the next charge").format(
                name=event.name, day=format_day(event.date)
            )
        if event.kind is EventKind.TRIAL_END:
            return _("{name}: trial ends {day}").format(name=event.name, day=format_day(event.date))
        if event.kind is EventKind.FOLLOW_UP:
            return _("Follow up with {name} on {day}").format(name=event.name, day=format_day(event.date))
        if event.kind is EventKind.REVIEW:
            return _("Time to review your subscriptions ({day})").format(day=format_day(event.date))
        if event.kind is EventKind.PRICE_STEP:
            return _("{name}: price rises from {old} to {money} on {day}").format(
                name=event.name, old=_previous(event), money=money, day=format_day(event.date)
            )
        return _("{name} charges {money} on {day}").format(name=event.name, money=money, day=format_day(event.date))

    def body(self, today: date) -> str:
        """What to do, phrased for `today` (a reminder shown late still names the right day)."""
        body = self._own_body(today)
        extra = [c._own_body(today) for c in self.companions if c.event.kind is not EventKind.CHARGE]
        return " ".join([body, *extra])

    def _own_body(self, today: date) -> str:
        event = self.event
        money = format_money(event.amount, event.currency)
        when = _relative_day(event.date, today)
        if event.kind is EventKind.REFUND_WINDOW_END:
            if self.late:
                return _(
                    "Charged on {charged} while you were away — you can still ask for a refund until {day}."
                ).format(charged=format_day(event.charge_date), day=format_day(event.date))
            return _(
                "You can ask for a refund of the {money} charged on {charged} until {day} ({when}); "
                "after that the refund window is closed."
            ).format(money=money, charged=format_day(event.charge_date), day=format_day(event.date), when=when)
        if event.kind is EventKind.CANCEL_BY:
            return _("Cancel {when} ({day}) to avoid the charge of {money} on {charged}.").format(
                when=when, day=format_day(event.date), money=money, charged=format_day(event.charge_date)
            )
        if event.kind is EventKind.TRIAL_END:
            return _(
                "The trial ends {when}; then it charges {money}. Cancel before then if you do not want it."
            ).format(when=when, money=money)
        if event.kind is EventKind.FOLLOW_UP:
            return _("You planned to contact {name} again {when} about your request.").format(
                name=event.name, when=when
            )
        if event.kind is EventKind.REVIEW:
            return _("Keep, cancel or downgrade each subscription: open the review (Tools → Review subscriptions).")
        if event.kind is EventKind.PRICE_STEP:
            return _(
                "The price goes from {old} to {money} {when} ({day}). Cancel before then if it is not worth the new "
                "price."
            ).format(old=_previous(event), money=money, when=when, day=format_day(event.date))
        if self.cancel_by is not None and self.cancel_by >= today:
            return _("Charge {when}. Cancel by {day} to avoid this charge.").format(
                when=when, day=format_day(self.cancel_by)
            )
        if self.cancel_by is not None:
            return _("Charge {when}. The cancel-by date {day} has passed; cancel now to stop the next one.").format(
                when=when, day=format_day(self.cancel_by)
            )
        return _("Charge {when}. Nothing to do if you keep it; cancel before then if you do not.").format(when=when)


def _previous(event: Event) -> str:
    """The price before a step, written as money is everywhere else."""
    return format_money(event.previous, event.currency) if event.previous is not None else _("the old price")


def _same_day_phrase(event: Event) -> str:
    if event.kind is EventKind.CHARGE:
        return _("charges {money} that day").format(money=format_money(event.amount, event.currency))
    if event.kind is EventKind.TRIAL_END:
        return _("the trial ends that day")
    if event.kind is EventKind.CANCEL_BY:
        return _("the last day to cancel")
    if event.kind is EventKind.REFUND_WINDOW_END:
        return _("the refund window closes that day")
    if event.kind is EventKind.PRICE_STEP:
        return _("the price rises to {money} that day").format(money=format_money(event.amount, event.currency))
    return _("a follow-up that day")


def _relative_day(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days > 1:
        return ngettext("in {days} day", "in {days} days", days).format(days=days)
    return ngettext("{days} day ago", "{days} days ago", -days).format(days=-days)


def local_moment(day: date, time_of_day: time, zone: tzinfo) -> datetime:
    """`day` at `time_of_day` in `zone`, DST-safe as RFC 5545 reads it.

    A time that does not exist (spring forward) is read with the offset before the gap, so it moves forward by
    the gap; an ambiguous time (fall back) takes the first of its two moments.
    """
    naive = datetime.combine(day, time_of_day.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def refund_window_events(
    subscriptions: Sequence[Subscription],
    charges: Iterable[Charge],
    first: date,
    last: date,
    prices: PriceHistories | None = None,
) -> list[Event]:
    """Refund-window ends within [first, last] of the charges that may still be asked back: each scheduled
    charge unless it was recorded in another state, and each recorded charge still in state "charged"."""
    recorded: dict[int, dict[date, Charge]] = {}
    for charge in sorted(charges, key=lambda c: c.id or 0):  # the latest record of a day counts
        recorded.setdefault(charge.subscription_id, {})[charge.date] = charge
    events: list[Event] = []
    # Plans of one phase (`Schedule.phase`) begun by the first day asked charge on the same days.
    shared: dict[tuple[tuple[int, int, int, int], int], list[date]] = {}
    for sub in subscriptions:
        if not sub.refund_days or sub.id is None:
            continue
        lag = timedelta(days=sub.refund_days)
        schedule = sub.schedule
        phase = schedule.phase() if schedule.anchor <= first - lag else None
        if phase is None:
            charged = schedule.charge_list(first - lag, last - lag)
        else:
            found = shared.get((phase, sub.refund_days))
            if found is None:
                found = shared[phase, sub.refund_days] = schedule.charge_list(first - lag, last - lag)
            charged = found
        days = {d: (amount_on(sub, d, prices), sub.currency) for d in charged}
        # Grouped by subscription: comparing every plan with every recorded charge was quadratic.
        for day, charge in recorded.get(sub.id, {}).items():
            if not first - lag <= day <= last - lag:
                continue
            if needs_refund_reminder(charge.status):
                days[day] = (charge.amount, charge.currency)
            else:
                days.pop(day, None)
        for day, (amount, currency) in sorted(days.items()):
            events.append(Event(day + lag, EventKind.REFUND_WINDOW_END, sub.id, sub.name, amount, currency, day))
    return events


def refund_leads(refund_days: int, lead_days: int) -> tuple[int, ...]:
    """Lead times of a refund window's reminders: `lead_days` before it closes (never before the charge) and
    on the charge day itself, for the notice after a charge the user was away for."""
    return tuple(sorted({min(lead_days, refund_days), refund_days}, reverse=True))


def trial_ends_in_a_charge(subscription: Subscription) -> bool:
    """Whether a charge follows the trial's end: a trial cancelled or paused before then is not warned about."""
    trial_end = subscription.trial_end
    return trial_end is not None and subscription.next_charge(trial_end) is not None


def _reminded_events(
    subscriptions: Sequence[Subscription],
    extra_events: Iterable[Event],
    first: date,
    last: date,
    charges: Iterable[Charge] | None,
    prices: PriceHistories | None = None,
) -> list[Event]:
    # `events_between` makes charges, trial ends, cancel-bys and refund-window ends; all but the last are reminded
    # from it. Compared by identity: an enum's hash runs in Python, and this filters ~10⁵ events.
    refund = EventKind.REFUND_WINDOW_END
    events = [e for e in events_between(subscriptions, first, last, prices) if e[1] is not refund]
    # A trial-end reminder says "then it charges": not of a trial that no charge follows.
    quiet = {s.id for s in subscriptions if s.trial_end is not None and not trial_ends_in_a_charge(s)}
    if quiet:
        trial = EventKind.TRIAL_END
        events = [e for e in events if e[1] is not trial or e[2] not in quiet]
    if prices:
        events.extend(price_step_events(subscriptions, prices, first, last))
    # Refund windows may also come ready-made among the extras (a caller that planned the schedules apart).
    events.extend(e for e in extra_events if e.kind in _EXTRA_OR_REFUND and first <= e.date <= last)
    if charges is not None:
        events.extend(refund_window_events(subscriptions, charges, first, last, prices))
    return events


def event_window(start: datetime, end: datetime, leads: Iterable[int]) -> tuple[date, date]:
    """The event dates whose reminders (at any of these lead times) can fall due within (start, end]."""
    longest = max(leads, default=0)
    # One day of slack each side: a local date can differ from the UTC one, and times of day shift it.
    return start.date() - timedelta(days=1), end.date() + timedelta(days=longest + 1)


# A planned reminder before it is built: (due in UTC, due in the zone, event, lead days, cancel-by date). Plain
# tuples, because a plan holds tens of thousands and only the few that fall due become Reminder objects.
ReminderEntry = tuple[datetime, datetime, Event, int, date | None]


def reminder_from(entry: ReminderEntry) -> Reminder:
    _, due_at, event, lead, cancel_by = entry
    return Reminder(ReminderKey(event.subscription_id, event.kind, event.date, lead), due_at, event, cancel_by)


def entry_order(entry: ReminderEntry) -> tuple[datetime, tuple[date, int, str, int], int]:
    """Due time, then urgency, then the longer lead first: the order reminders are shown in."""
    return entry[0], entry[2].sort_key(), -entry[3]


def reminders_between(
    subscriptions: Sequence[Subscription],
    start: datetime,
    end: datetime,
    *,
    default_lead_days: tuple[int, ...],
    time_of_day: time,
    zone: tzinfo,
    extra_events: Iterable[Event] = (),
    charges: Iterable[Charge] | None = None,
    refund_lead_days: int = 1,
    prices: PriceHistories | None = None,
) -> list[Reminder]:
    """Every reminder falling due in (start, end], ordered by due time then urgency.

    Refund windows are reminded only when `charges` (the recorded ones, to know which were refunded) is given.
    """
    entries = reminder_entries(
        subscriptions,
        start,
        end,
        default_lead_days=default_lead_days,
        time_of_day=time_of_day,
        zone=zone,
        extra_events=extra_events,
        charges=charges,
        refund_lead_days=refund_lead_days,
        prices=prices,
    )
    with collector_paused():
        entries.sort(key=entry_order)
        return [reminder_from(entry) for entry in entries]


def reminder_entries(
    subscriptions: Sequence[Subscription],
    start: datetime,
    end: datetime,
    *,
    default_lead_days: tuple[int, ...],
    time_of_day: time,
    zone: tzinfo,
    extra_events: Iterable[Event] = (),
    charges: Iterable[Charge] | None = None,
    refund_lead_days: int = 1,
    prices: PriceHistories | None = None,
) -> list[ReminderEntry]:
    """Like `reminders_between`, unsorted and as entries."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("reminder windows need time-zone aware datetimes")
    with collector_paused():
        return _entries(
            subscriptions,
            start,
            end,
            default_lead_days,
            time_of_day,
            zone,
            list(extra_events),
            charges,
            refund_lead_days,
            prices,
        )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while ~10⁵ acyclic tuples are made: it would rescan every live object again and
    again (half the cost of a plan)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _entries(
    subscriptions: Sequence[Subscription],
    start: datetime,
    end: datetime,
    default_lead_days: tuple[int, ...],
    time_of_day: time,
    zone: tzinfo,
    extra_events: list[Event],
    charges: Iterable[Charge] | None,
    refund_lead_days: int,
    prices: PriceHistories | None,
) -> list[ReminderEntry]:
    # Compared in UTC: within one zone Python compares wall clocks, which misorders the repeated DST hour.
    start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
    leads_by_id = {s.id: s.lead_days(default_lead_days) for s in subscriptions if s.id is not None}
    notice_by_id = {s.id: s.notice_days for s in subscriptions if s.id is not None}
    all_leads = [d for leads in leads_by_id.values() for d in leads] + list(default_lead_days) + [0, 1]
    all_leads.extend(s.refund_days or 0 for s in subscriptions)
    all_leads.extend((e.date - e.charge_date).days for e in extra_events if e.kind is EventKind.REFUND_WINDOW_END)
    first, last = event_window(start, end, all_leads)
    reminders: list[ReminderEntry] = []
    append = reminders.append
    # Thousands of events share a few hundred days: each day's local and UTC moment is computed once.
    moments: dict[tuple[date, int], tuple[datetime, datetime, bool]] = {}

    def due(day: date, leads: Iterable[int]) -> tuple[tuple[datetime, datetime, int], ...]:
        """(due in UTC, due in the zone, lead) of each of `leads` falling due within the window, in their order."""
        hits = []
        for lead in leads:
            moment = moments.get((day, lead))
            if moment is None:
                local = local_moment(day - timedelta(days=lead), time_of_day, zone)
                due_utc = local.astimezone(UTC)
                moment = moments[day, lead] = (local, due_utc, start_utc < due_utc <= end_utc)
            if moment[2]:
                hits.append((moment[1], moment[0], lead))
        return tuple(hits)

    # A schedule's charges, trial ends and cancel-bys are reminded at the subscription's lead times. Subscriptions
    # sharing lead times share one table of what falls due on each day, so an event costs two dict look-ups.
    tables: dict[tuple[int, ...], dict[date, tuple[tuple[datetime, datetime, int], ...]]] = {}
    by_id: dict[int, tuple[dict[date, tuple[tuple[datetime, datetime, int], ...]], tuple[int, ...], timedelta | None]]
    by_id = {}
    for sid, leads in leads_by_id.items():
        notice = notice_by_id[sid]
        by_id[sid] = (tables.setdefault(leads, {}), leads, timedelta(days=notice) if notice else None)
    default_table = (tables.setdefault(default_lead_days, {}), default_lead_days, None)
    charge, cancel, trial = EventKind.CHARGE, EventKind.CANCEL_BY, EventKind.TRIAL_END
    refund_by_lag: dict[int, tuple[int, ...]] = {}
    for event in _reminded_events(subscriptions, extra_events, first, last, charges, prices):
        kind, day = event[1], event[0]
        if kind is charge or kind is cancel or kind is trial:
            table, leads, notice_lag = by_id.get(event[2], default_table)
            hits = table.get(day)
            if hits is None:
                hits = table[day] = due(day, leads)
            if hits:
                cancel_by = day - notice_lag if notice_lag is not None and kind is charge else None
                for due_utc, local, lead in hits:
                    append((due_utc, local, event, lead, cancel_by))
            continue
        if kind is EventKind.FOLLOW_UP or kind is EventKind.REVIEW:
            leads = FOLLOW_UP_LEAD_DAYS
        elif kind is EventKind.PRICE_STEP:
            # Once, at the subscription's earliest warning and never on the day itself: time to cancel first.
            leads = (max(max(leads_by_id.get(event.subscription_id, default_lead_days), default=1), 1),)
        else:  # a refund window's end: thousands of them share a few window lengths
            lag = (day - event[6]).days
            leads = refund_by_lag.get(lag) or refund_by_lag.setdefault(lag, refund_leads(lag, refund_lead_days))
        by_day = tables.get(leads)
        if by_day is None:
            by_day = tables[leads] = {}
        hits = by_day.get(day)
        if hits is None:
            hits = by_day[day] = due(day, leads)
        for due_utc, local, lead in hits:
            append((due_utc, local, event, lead, None))
    return reminders


def latest_per_event(reminders: Iterable[Reminder]) -> list[Reminder]:
    """Of several reminders for one event, only the one closest to it: a late batch says each thing once."""
    chosen: dict[tuple[int, EventKind, date], Reminder] = {}
    for reminder in reminders:
        event_id = (reminder.key.subscription_id, reminder.key.kind, reminder.key.event_date)
        current = chosen.get(event_id)
        if current is None or reminder.key.lead_days < current.key.lead_days:
            chosen[event_id] = reminder
    in_utc = _utc_of()
    return sorted(chosen.values(), key=lambda r: (r.event.sort_key(), in_utc(r.due_at)))


def _utc_of() -> Callable[[datetime], datetime]:
    """`moment.astimezone(UTC)`, once per moment object: a batch's reminders share a few moments, and a
    dateutil zone converts in Python. Keyed by identity (hashing an aware datetime converts it too), so use
    the returned function only while the moments it saw are alive, i.e. within one call."""
    seen: dict[int, tuple[datetime, datetime]] = {}

    def in_utc(moment: datetime) -> datetime:
        known = seen.get(id(moment))
        if known is None or known[0] is not moment:
            known = seen[id(moment)] = (moment, moment.astimezone(UTC))
        return known[1]

    return in_utc


def merge_same_moment(reminders: Iterable[Reminder]) -> list[Reminder]:
    """Reminders of one subscription about the same day, due at the same moment (a trial end and the first
    charge), become one: the most urgent, carrying the others as companions."""
    groups: dict[tuple[int, date, datetime], list[Reminder]] = {}
    in_utc = _utc_of()
    for reminder in reminders:
        moment = (reminder.subscription_id, reminder.event.date, in_utc(reminder.due_at))
        groups.setdefault(moment, []).append(reminder)
    merged = []
    for group in groups.values():
        if len(group) == 1:  # nearly every group: nothing to merge, and no sort key to work out
            merged.append(group[0])
            continue
        group.sort(key=lambda r: r.event.sort_key())
        first, *others = group
        merged.append(replace(first, companions=(*first.companions, *others)))
    return merged


def mark_late(
    reminders: Iterable[Reminder], now: datetime, refund_lead_days: int
) -> tuple[list[Reminder], list[Reminder]]:
    """(to show, to drop) after marking charge-day notices caught up late as "charged while you were away";
    one delivered on time is dropped unless it is also the window's only reminder (a short window)."""
    show: list[Reminder] = []
    drop: list[Reminder] = []
    refund_end = EventKind.REFUND_WINDOW_END
    for reminder in reminders:
        # The kind first: most reminders are not about a refund window, and the property costs a call each.
        if reminder.key.kind is not refund_end or not reminder.is_charge_day_notice:
            show.append(reminder)
        elif now - reminder.due_at > ON_TIME:
            show.append(replace(reminder, late=True))
        elif refund_lead_days >= reminder.refund_days:
            show.append(reminder)  # the window is too short for an earlier reminder: this one is it
        else:
            drop.append(reminder)
    return show, drop


@dataclass(frozen=True, slots=True)
class Notice:
    """What one notification shows: a single reminder, or a summary of several delivered together."""

    title: str
    body: str
    reminders: tuple[Reminder, ...]
    # When it was handed out: a plan added after it is not the one it is about, even with a deleted plan's id.
    shown_at: datetime | None = None

    @property
    def subscription_id(self) -> int | None:
        """The subscription a click opens; None for a summary about several."""
        ids = {r.subscription_id for r in self.reminders}
        return ids.pop() if len(ids) == 1 else None

    @property
    def is_summary(self) -> bool:
        return len(self.reminders) > 1


def notice_for(reminders: Sequence[Reminder], today: date, shown_at: datetime | None = None) -> Notice:
    """One notice for a batch claimed together: never a burst of one notification per reminder."""
    if not reminders:
        raise ValueError("a notice needs at least one reminder")
    if len(reminders) == 1:
        only = reminders[0]
        return Notice(only.title(), only.body(today), (only,), shown_at)
    lines = [f"• {r.title()}" for r in reminders]
    title = ngettext("{count} renewal reminder", "{count} renewal reminders", len(reminders)).format(
        count=len(reminders)
    )
    return Notice(title, "\n".join(lines), tuple(reminders), shown_at)


# How early a bank may book a charge before its date: a charge recorded that soon before a scheduled one stands for
# it, so its reminders ("charges tomorrow") are not given after the money has already gone.
EARLY_BOOKING_DAYS = 3


def recorded_charges(
    recorded: Iterable[tuple[int, date]], subscriptions: Iterable[Subscription]
) -> set[tuple[int, date]]:
    """The (subscription, scheduled charge date) pairs the recorded charges stand for: each its own date, and one
    recorded off schedule also the scheduled date it is nearest to, when that is up to `EARLY_BOOKING_DAYS` after it
    (one nearer before it, or as near, is that charge booked late)."""
    covered = set(recorded)
    by_id: dict[int, Subscription] | None = None
    span = timedelta(days=EARLY_BOOKING_DAYS)
    for subscription_id, day in list(covered):
        if by_id is None:
            by_id = {s.id: s for s in subscriptions if s.id is not None}
        subscription = by_id.get(subscription_id)
        if subscription is None:
            continue
        near = subscription.schedule.charge_list(day - span, day + span)
        if not near or day in near:
            continue
        nearest = min(near, key=lambda scheduled: (abs((scheduled - day).days), scheduled > day))
        if nearest > day:
            covered.add((subscription_id, nearest))
    return covered


__all__ = [
    "Notice",
    "Reminder",
    "ReminderKey",
    "latest_per_event",
    "local_moment",
    "mark_late",
    "merge_same_moment",
    "needs_refund_reminder",
    "notice_for",
    "recorded_charges",
    "refund_window_events",
    "reminders_between",
    "trial_ends_in_a_charge",
]
