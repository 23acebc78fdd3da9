"""Dated events of a subscription: charges, trial ends, cancel-by deadlines, refund-window ends."""

from __future__ import annotations

import gc
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from datetime import date as Date
from decimal import Decimal
from enum import StrEnum
from itertools import accumulate, chain, compress, count, repeat
from operator import add, attrgetter, is_, is_not, itemgetter, sub
from typing import NamedTuple, cast

from renewaltracker.domain.prices import PriceHistories, PriceHistory
from renewaltracker.domain.schedule import Schedule
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.i18n import N_, _


class EventKind(StrEnum):
    CHARGE = "charge"
    TRIAL_END = "trial_end"
    CANCEL_BY = "cancel_by"
    REFUND_WINDOW_END = "refund_window_end"
    # Not produced by a schedule: a contact-log entry's follow-up date, fed to reminders by its own service.
    FOLLOW_UP = "follow_up"
    # Not produced by a schedule either: the periodic review of every subscription (services/review.py).
    REVIEW = "review"
    # Not produced by a schedule: a planned rise of the plan's price (domain/prices.py), reminded before it.
    PRICE_STEP = "price_step"


# Same-day events sort with the most urgent first: a deadline matters more than the charge it guards.
KIND_ORDER = {
    EventKind.CANCEL_BY: 0,
    EventKind.TRIAL_END: 1,
    EventKind.CHARGE: 2,
    EventKind.REFUND_WINDOW_END: 3,
    EventKind.FOLLOW_UP: 4,
    EventKind.REVIEW: 5,
    EventKind.PRICE_STEP: 6,
}


class EventLabel(NamedTuple):
    """How every front end and export names one kind of event."""

    english_noun: str  # a list entry, column cell, legend or calendar title: "Trial ends"
    symbol: str  # the marker drawn before it in the calendar and the upcoming list
    english_soon: str  # after the name, before "tomorrow", in an alarm: "Netflix: trial ends tomorrow"

    # Translated when read, not when this module is imported: the language is installed after the import.
    @property
    def noun(self) -> str:
        return _(self.english_noun)

    @property
    def soon(self) -> str:
        return _(self.english_soon)


# The one table of event words: the window, the CLI, the tray and the ICS export read it (a test checks that
# no front end keeps its own).
EVENT_LABELS: dict[EventKind, EventLabel] = {
    EventKind.CHARGE: EventLabel(N_("Charge"), "●", N_("renews")),
    EventKind.TRIAL_END: EventLabel(N_("Trial ends"), "◆", N_("trial ends")),
    EventKind.CANCEL_BY: EventLabel(N_("Cancel by"), "▲", N_("cancel-by deadline")),
    EventKind.REFUND_WINDOW_END: EventLabel(N_("Refund window ends"), "■", N_("refund window ends")),
    EventKind.FOLLOW_UP: EventLabel(N_("Follow up"), "★", N_("follow up")),
    EventKind.REVIEW: EventLabel(N_("Review"), "✓", N_("subscription review")),
    EventKind.PRICE_STEP: EventLabel(N_("Price rises"), "▴", N_("price rises")),
}


def event_label(kind: EventKind) -> str:
    """The kind's name in a list or legend, e.g. "Cancel by"."""
    return EVENT_LABELS[kind].noun


def event_title(kind: EventKind, name: str) -> str:
    """A one-line title for an event of a subscription, e.g. "Cancel by: Netflix" in an exported calendar."""
    return _("{event}: {name}").format(event=EVENT_LABELS[kind].noun, name=name)


class Event(NamedTuple):
    """One dated event; `charge_date` is the charge a deadline belongs to; `amount` is the price in force on
    that charge; `previous` is the price before a price step (None for every other kind)."""

    date: Date
    kind: EventKind
    subscription_id: int
    name: str
    amount: Decimal
    currency: str
    charge_date: Date
    previous: Decimal | None = None

    def sort_key(self) -> tuple[Date, int, str, int]:
        return (self.date, KIND_ORDER[self.kind], self.name.casefold(), self.subscription_id)


# `map(tuple.__new__, repeat(Event), rows)` makes each event in C: the calendar builds ~10⁵ events at once, and a
# Python-level constructor call per event (NamedTuple's own) would be most of the cost.
_new_tuple: Callable[[type[Event], tuple[object, ...]], Event] = tuple.__new__


# What one subscription contributes to a window, per kind in urgency order (cancel-by, trial end, charge,
# refund window end), with the subscription object and price history it was expanded from.
_Expansion = tuple[Subscription, "PriceHistory | None", list[Event], list[Event], list[Event], list[Event]]
# How many windows keep their expansions: the calendar, the upcoming list, the tray and the reminder check each
# ask for their own, and ask again after every change.
CACHED_WINDOWS = 6
# A window's days, each mapped to itself: the one date object per day that its events carry and its day buckets
# are keyed by (None for a window longer than `_MOST_DAYS`). A dict finds an identical key without comparing it.
_Days = dict[date, date] | None


class _ExpansionCache:
    """Each window's expansions from its last call: a subscription is immutable, so while the same object (and
    the same price history object) comes back, its events are the ones already built."""

    def __init__(self) -> None:
        self._windows: OrderedDict[tuple[date, date], _Window] = OrderedDict()
        # The reminder check asks from a worker thread while the window asks from the GUI thread.
        self._lock = threading.Lock()

    def get(self, window: tuple[date, date]) -> _Window | None:
        with self._lock:
            return self._windows.get(window)

    def put(self, window: tuple[date, date], entry: _Window) -> None:
        # Replaced whole, never updated in place: a deleted subscription's events go with the next call.
        with self._lock:
            self._windows[window] = entry
            self._windows.move_to_end(window)
            while len(self._windows) > CACHED_WINDOWS:
                self._windows.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._windows.clear()


_cache = _ExpansionCache()
clear_cache = _cache.clear

# The longest window given a bucket for each of its days up front (ten years); a longer one buckets the days it has.
_MOST_DAYS = 3660
# Compared and passed by identity in the hot loop.
_CHARGE, _CANCEL_BY, _REFUND_END = EventKind.CHARGE, EventKind.CANCEL_BY, EventKind.REFUND_WINDOW_END


# A subscription's dates within a window: its charges, its cancel-by deadlines and the charges they guard, its
# refund windows' ends and the charges they follow.
_Dates = tuple[list[date], list[date], list[date], list[date], list[date]]
_NO_DATES: list[date] = []  # shared, and never changed
_Phase = tuple[int, int, int, int]


def _window_days(start: date, end: date) -> _Days:
    days = (end - start).days + 1
    if not 0 < days <= _MOST_DAYS:
        return None
    return {day: day for day in map(add, repeat(start), map(timedelta, range(days)))}


class _WindowDates:
    """One call's dates per subscription. Schedules of one phase (see `Schedule.phase`) charge on the same days,
    so their charges are computed once, and once per phase and notice or refund period their deadlines too.
    Dates within the window are the window's own objects (`_Days`)."""

    def __init__(self, subscriptions: list[Subscription], start: date, end: date, days: _Days) -> None:
        self._subscriptions = subscriptions
        self._start, self._end = start, end
        self._days = days
        self._span: tuple[date, date] | None = None
        self._phases: dict[_Phase, list[date]] = {}
        self._shared: dict[tuple[_Phase, int, int], _Dates] = {}
        # A phase's charges within the window, and its deadlines and the charges they belong to per period.
        self._within: dict[_Phase, list[date]] = {}
        self._before: dict[tuple[_Phase, int], tuple[list[date], list[date]]] = {}
        self._after: dict[tuple[_Phase, int], tuple[list[date], list[date]]] = {}

    def _widest(self) -> tuple[date, date]:
        # Every subscription's window lies within this span; worked out at the first expansion, so that a call
        # answered from the cache does not pay for it.
        lag = max(filter(None, map(attrgetter("refund_days"), self._subscriptions)), default=0)
        lead = max(filter(None, map(attrgetter("notice_days"), self._subscriptions)), default=0)
        self._span = (self._start - timedelta(days=lag), self._end + timedelta(days=lead))
        return self._span

    def each(self, subscriptions: list[Subscription]) -> list[_Dates]:
        """Each subscription's dates, in order: one loop, as it runs once per subscription of a cold call."""
        span = self._span or self._widest()
        begun = span[0]
        shared = self._shared
        found: list[_Dates] = []
        for schedule, notice, refund in zip(
            map(attrgetter("schedule"), subscriptions),
            map(attrgetter("notice_days"), subscriptions),
            map(attrgetter("refund_days"), subscriptions),
            strict=True,
        ):
            notice, refund = notice or 0, refund or 0
            # Begun by the span's start, a schedule's charges within the span are its phase's.
            phase = schedule.phase() if schedule.anchor <= begun else None
            if phase is None:
                found.append(self._own_dates(schedule, notice, refund))
            else:
                key = (phase, notice, refund)
                dates = shared.get(key)
                if dates is None:
                    dates = shared[key] = self._phase_dates(schedule, phase, notice, refund)
                found.append(dates)
        return found

    def _own_dates(self, schedule: Schedule, notice: int, refund: int) -> _Dates:
        low, high = self._start - timedelta(days=refund), self._end + timedelta(days=notice)
        own = schedule.charge_list(low, high)
        return (self._dates_within(own), *self._cancel_by(own, notice), *self._refund_ends(own, refund))

    def _phase_dates(self, schedule: Schedule, phase: _Phase, notice: int, refund: int) -> _Dates:
        charges = self._phases.get(phase)
        if charges is None:
            charges = self._phases[phase] = schedule.charge_list(*(self._span or self._widest()))
        within = self._within.get(phase)
        if within is None:
            within = self._within[phase] = self._dates_within(charges)
        before = self._before.get((phase, notice))
        if before is None:
            before = self._before[phase, notice] = self._cancel_by(charges, notice)
        after = self._after.get((phase, refund))
        if after is None:
            after = self._after[phase, refund] = self._refund_ends(charges, refund)
        return (within, *before, *after)

    def _own(self, dates: list[date]) -> list[date]:
        """The dates as the window's own objects (all lie within it)."""
        days = self._days
        return list(map(days.__getitem__, dates)) if days else dates

    def _dates_within(self, charges: list[date]) -> list[date]:
        return self._own(charges[bisect_left(charges, self._start) : bisect_right(charges, self._end)])

    def _cancel_by(self, charges: list[date], notice: int) -> tuple[list[date], list[date]]:
        """The cancel-by deadlines within the window and the charges they guard."""
        if not notice:
            return _NO_DATES, _NO_DATES
        lead = timedelta(days=notice)
        guarded = charges[bisect_left(charges, self._start + lead) : bisect_right(charges, self._end + lead)]
        return self._own(list(map(sub, guarded, repeat(lead)))), guarded

    def _refund_ends(self, charges: list[date], refund: int) -> tuple[list[date], list[date]]:
        """The refund windows' ends within the window and the charges they follow."""
        if not refund:
            return _NO_DATES, _NO_DATES
        lag = timedelta(days=refund)
        refundable = charges[bisect_left(charges, self._start - lag) : bisect_right(charges, self._end - lag)]
        return self._own(list(map(add, refundable, repeat(lag)))), refundable


class _Built(NamedTuple):
    """New subscriptions' events as built: per kind in urgency order (cancel-by, trial end, charge, refund-window
    end), the events of all of them in input order and how many each has."""

    subscriptions: list[Subscription]
    histories: list[PriceHistory | None]
    kinds: list[tuple[list[Event], list[int]]]

    def expansions(self) -> list[_Expansion]:
        cancel_by, trials, charges, refund_ends = (_split(events, counts) for events, counts in self.kinds)
        return list(zip(self.subscriptions, self.histories, cancel_by, trials, charges, refund_ends, strict=True))


def _split(events: list[Event], counts: list[int]) -> list[list[Event]]:
    ends = list(accumulate(counts))
    return list(map(events.__getitem__, map(slice, chain((0,), ends), ends)))


class _Window:
    """What the last call for a window left: its days (`_Days`), the subscriptions and price histories asked for,
    the result, and each subscription's events, split off the lists they were built in only when a later call
    asks for other subscriptions (a call that changes nothing gets the result again)."""

    __slots__ = ("_known", "built", "days", "events", "histories", "items")

    def __init__(
        self,
        days: _Days,
        items: list[Subscription],
        histories: list[PriceHistory | None],
        events: list[Event],
        expansions: list[_Expansion] | _Built,
    ) -> None:
        self.days, self.items, self.histories, self.events = days, items, histories, events
        self.built = expansions if isinstance(expansions, _Built) else None
        self._known = None if self.built else dict(zip(map(id, items), cast(list[_Expansion], expansions), strict=True))

    def same(self, items: list[Subscription], histories: list[PriceHistory | None]) -> bool:
        """Whether these are the very subscriptions and histories of the last call, in the same order."""
        return (
            len(items) == len(self.items)
            and all(map(is_, items, self.items))
            and all(map(is_, histories, self.histories))
        )

    def known(self) -> dict[int, _Expansion]:
        """Each subscription's expansion by id(); two threads may both split them, to equal results."""
        known = self._known
        if known is None:
            assert self.built is not None
            known = self._known = dict(zip(map(id, self.built.subscriptions), self.built.expansions(), strict=True))
        return known


def _expand_all(
    subscriptions: list[Subscription],
    histories: list[PriceHistory | None],
    start: date,
    end: date,
    dates: _WindowDates,
) -> _Built:
    """The subscriptions' events, each kind's built for all of them at once: one pass in C per kind instead of
    one per subscription and kind (which cost a third of a cold call at 10,000)."""
    found = dates.each(subscriptions)
    sids: list[int] = list(map(attrgetter("id"), subscriptions))
    if None in sids:  # not yet saved
        sids = [sid or 0 for sid in sids]
    names: list[str] = list(map(attrgetter("name"), subscriptions))
    amounts: list[Decimal] = list(map(attrgetter("amount"), subscriptions))
    currencies: list[str] = list(map(attrgetter("currency"), subscriptions))
    # With a price history each event carries the price of its own charge date, else the plan's amount.
    priced: list[tuple[int, Callable[[date], Decimal]]] = (
        [(index, history.price_on) for index, history in enumerate(histories) if history] if any(histories) else []
    )
    columns = (sids, names, amounts, currencies, priced)
    within = list(map(itemgetter(0), found))
    charges = _kind_events(_CHARGE, within, within, columns)
    cancel_by = _kind_events(_CANCEL_BY, list(map(itemgetter(1), found)), list(map(itemgetter(2), found)), columns)
    refund_ends = _kind_events(_REFUND_END, list(map(itemgetter(3), found)), list(map(itemgetter(4), found)), columns)
    trials: list[Event] = []
    trial_counts = [0] * len(subscriptions)
    for index in compress(range(len(subscriptions)), map(attrgetter("trial_end"), subscriptions)):
        subscription = subscriptions[index]
        trial_end = cast(date, subscription.trial_end)
        if start <= trial_end <= end:
            history = histories[index]
            amount = subscription.amount
            if history:  # what the first charge after the trial costs: a price change may fall in between
                amount = history.price_on(subscription.next_charge(trial_end) or trial_end)
            name, currency = subscription.name, currencies[index]
            trials.append(Event(trial_end, EventKind.TRIAL_END, sids[index], name, amount, currency, trial_end))
            trial_counts[index] = 1
    return _Built(subscriptions, histories, [cancel_by, (trials, trial_counts), charges, refund_ends])


# Per subscription: id, name, the plan's amount, currency; and (position, price lookup) of those with a history.
_Columns = tuple[list[int], list[str], list[Decimal], list[str], list[tuple[int, Callable[[date], Decimal]]]]


def _kind_events(
    kind: EventKind, days: list[list[date]], charges: list[list[date]], columns: _Columns
) -> tuple[list[Event], list[int]]:
    """The subscriptions' events of one kind on `days`, belonging to `charges` (the same length, day by day), in
    input order, and how many each subscription has."""
    sids, names, amounts, currencies, priced = columns
    counts = each_count = list(map(len, days))
    everyone = len(counts)
    # Most plans have no notice or refund period: only those with events of this kind take part.
    picked = list(filter(None, counts))
    if len(picked) < everyone:
        days, charges = list(compress(days, counts)), list(compress(charges, counts))
        sids, names = list(compress(sids, counts)), list(compress(names, counts))
        amounts, currencies = list(compress(amounts, counts)), list(compress(currencies, counts))
        counts = picked
        if priced:
            present = compress(range(everyone), each_count)
            place = {index: number for number, index in enumerate(present)}
            priced = [(place[index], price) for index, price in priced if index in place]
    amount_columns: list[Iterable[Decimal]] = list(map(repeat, amounts, counts))
    for index, price in priced:
        amount_columns[index] = map(price, charges[index])
    rows = zip(
        chain.from_iterable(days),
        repeat(kind),
        chain.from_iterable(map(repeat, sids, counts)),
        chain.from_iterable(map(repeat, names, counts)),
        chain.from_iterable(amount_columns),
        chain.from_iterable(map(repeat, currencies, counts)),
        chain.from_iterable(charges),
        repeat(None),
    )
    return list(map(_new_tuple, repeat(Event), rows)), each_count


def subscription_events(
    subscription: Subscription, start: date, end: date, prices: PriceHistories | None = None
) -> list[Event]:
    """All events of one subscription dated within [start, end], sorted."""
    return events_between([subscription], start, end, prices)


def events_between(
    subscriptions: Iterable[Subscription], start: date, end: date, prices: PriceHistories | None = None
) -> list[Event]:
    """Every event of the subscriptions within [start, end], sorted by date, then urgency, then input order;
    amounts are the price in force on each charge date (from `prices`, else the plan's amount)."""
    window = (start, end)
    items = list(subscriptions)
    if prices:
        histories = [(prices.get(s.id) if s.id is not None else None) or None for s in items]
    else:
        histories = [None] * len(items)
    entry = _cache.get(window)
    if entry is not None and entry.same(items, histories):
        return list(entry.events)
    window_days = entry.days if entry else _window_days(start, end)
    # Events are acyclic tuples; pausing the cycle collector spares it rescanning ~10⁵ new objects repeatedly (and
    # splitting what a cold call kept makes ~10⁴ lists: with the collector running, 0.4 s at 10,000).
    collecting = gc.isenabled()
    gc.disable()
    try:
        kept = _kept(entry, items, histories, start, end, window_days)
        # Grouping by day (a stable bucket sort) keeps the urgency order the kinds were joined in (cancel-by, trial
        # end, charge, refund-window end, each in input order), at half the cost of a comparison sort, where dates
        # compare through the generic slot about 18 times per event.
        if isinstance(kept, _Built):
            joined: Iterable[Event] = chain.from_iterable(map(itemgetter(0), kept.kinds))
        else:
            joined = chain.from_iterable(chain.from_iterable(map(itemgetter(k), kept)) for k in (2, 3, 4, 5))
        if window_days:
            # A bucket for every day of the window, in order: a plain dict indexes faster than a defaultdict, and
            # nothing needs sorting after; keyed by the very date objects the events carry, it finds each bucket
            # without comparing dates.
            buckets: dict[Date, list[Event]] = {day: [] for day in window_days}
            for event in joined:
                buckets[event[0]].append(event)
            events = list(chain.from_iterable(buckets.values()))
        else:
            by_day: defaultdict[Date, list[Event]] = defaultdict(list)
            for event in joined:
                by_day[event[0]].append(event)
            events = list(chain.from_iterable(by_day[day] for day in sorted(by_day)))
        _cache.put(window, _Window(window_days, items, histories, events, kept))
        # The caller may change its list; the kept one stays as built.
        result = list(events)
    finally:
        if collecting:
            gc.enable()
    return result


def _kept(
    entry: _Window | None,
    items: list[Subscription],
    histories: list[PriceHistory | None],
    start: date,
    end: date,
    days: _Days,
) -> list[_Expansion] | _Built:
    """The subscriptions' events, from what the last call for the window kept where the subscription (and its
    price history) is the same object, else built."""
    dates = _WindowDates(items, start, end, days)
    built = entry.built if entry else None
    if built is not None and len(built.subscriptions) == len(items):
        # The same subscriptions in the same places but a few (one edited, say): the kept lists with theirs spliced
        # in, without splitting every subscription's events apart.
        changed = sorted(
            {
                *compress(count(), map(is_not, items, built.subscriptions)),
                *compress(count(), map(is_not, histories, built.histories)),
            }
        )
        if len(changed) * 4 <= len(items):
            fresh = _expand_all([items[i] for i in changed], [histories[i] for i in changed], start, end, dates)
            return _spliced(built, changed, fresh, items, histories)
        return _expand_all(items, histories, start, end, dates)
    known = entry.known() if entry else {}
    expansions: list[_Expansion | None] = [None] * len(items)
    if known:
        for index, subscription in enumerate(items):
            expansion = known.get(id(subscription))
            # The entry holds its subscription, so an equal id() with the same object is the same subscription.
            if expansion is not None and expansion[0] is subscription and expansion[1] is histories[index]:
                expansions[index] = expansion
    missing = [index for index, expansion in enumerate(expansions) if expansion is None]
    if len(missing) == len(items):  # all new: their events stay joined per kind, split only when asked
        return _expand_all(items, histories, start, end, dates)
    if missing:
        built = _expand_all([items[i] for i in missing], [histories[i] for i in missing], start, end, dates)
        for index, expansion in zip(missing, built.expansions(), strict=True):
            expansions[index] = expansion
    return cast(list[_Expansion], expansions)


def _spliced(
    built: _Built,
    changed: list[int],
    fresh: _Built,
    items: list[Subscription],
    histories: list[PriceHistory | None],
) -> _Built:
    """`built` with the events of the subscriptions at `changed` replaced by `fresh`'s (theirs, in that order)."""
    kinds = []
    for (events, counts), (new_events, new_counts) in zip(built.kinds, fresh.kinds, strict=True):
        ends = list(accumulate(counts, initial=0))
        new_ends = list(accumulate(new_counts, initial=0))
        events, counts = events.copy(), counts.copy()
        # From the last, so that the places of those before stay where `ends` has them.
        for number, index in reversed(list(enumerate(changed))):
            events[ends[index] : ends[index + 1]] = new_events[new_ends[number] : new_ends[number + 1]]
            counts[index] = new_counts[number]
        kinds.append((events, counts))
    return _Built(items, histories, kinds)


def next_cancel_by(subscription: Subscription, today: date) -> tuple[date, date] | None:
    """The next cancel-by deadline not yet passed and the charge it guards."""
    if not subscription.notice_days:
        return None
    charge = subscription.next_charge(today + timedelta(days=subscription.notice_days))
    if charge is None:
        return None
    return charge - timedelta(days=subscription.notice_days), charge


def price_step_events(
    subscriptions: Iterable[Subscription], prices: PriceHistories, first: date, last: date
) -> list[Event]:
    """The rises of running plans' prices dated within [first, last] that a later charge pays: what the user may
    cancel before."""
    events = []
    for s in subscriptions:
        history = prices.get(s.id) if s.id is not None else None
        if history is None or s.status not in (Status.ACTIVE, Status.TRIAL):
            continue
        for day, old, new in history.step_ups(first, last):
            if s.next_charge(day) is None:  # the plan ends before it: nobody pays the new price
                continue
            events.append(Event(day, EventKind.PRICE_STEP, s.id or 0, s.name, new, s.currency, day, old))
    return events
