"""The reminder plan kept between checks: per subscription, so a change re-plans only the subscription it touched.

Reading 10,000 subscriptions and planning all of them takes most of a second; after the first check a change
costs one row and one subscription's reminders. Thread-safe: changes are noted on the GUI thread while a
worker plans.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo
from itertools import chain
from operator import itemgetter

from renewaltracker.domain.errors import NotFoundError
from renewaltracker.domain.prices import PriceHistory, PriceStep, histories
from renewaltracker.domain.reminders import ReminderEntry, collector_paused, reminder_entries
from renewaltracker.domain.subscription import Subscription

Planned = list[ReminderEntry]


@dataclass(frozen=True)
class PlanSettings:
    """What every subscription's plan depends on besides the subscription itself."""

    defaults: tuple[int, ...]
    time_of_day: time
    zone: tzinfo


class ReminderPlan:
    """Subscriptions and their reminders within a window, updated one subscription at a time."""

    def __init__(
        self,
        load_all: Callable[[], list[Subscription]],
        load_one: Callable[[int], Subscription],
        horizon: timedelta = timedelta(days=62),
        load_steps: Callable[[], Mapping[int, Iterable[PriceStep]]] | None = None,
    ) -> None:
        """`load_steps` reads every price step by subscription id; the histories are built from the kept
        subscriptions, so a change never reads them all again."""
        self._load_all = load_all
        self._load_steps = load_steps
        self.prices: dict[int, PriceHistory] = {}  # read with the subscriptions, whenever any of them changed
        self._horizon = horizon  # a full plan reaches at least this far past the start asked for
        self._load_one = load_one
        self._lock = threading.Lock()
        self._dirty: set[int] = set()
        self._everything_stale = True
        self._subscriptions: dict[int, Subscription] = {}
        self._settings: PlanSettings | None = None
        self._window: tuple[datetime, datetime] | None = None  # UTC, exclusive start and inclusive end
        self._planned: dict[int, Planned] = {}
        self._by_due: Planned | None = None  # every planned entry ordered by due time, built when first asked
        self._due_keys: list[datetime] = []  # their due times, for bisecting
        self.full_plans = 0  # how often every subscription was planned (tests and benchmarks read it)
        self.partial_plans = 0  # how many single subscriptions were re-planned

    # -- told about changes (any thread) ------------------------------------------
    def changed(self, subscription_id: int | None) -> None:
        """One subscription changed; None means anything may have (settings, a bulk import)."""
        with self._lock:
            if subscription_id is None:
                self._everything_stale = True
            else:
                self._dirty.add(subscription_id)

    def has_changes(self) -> bool:
        """True while changes this process made are waiting to be read."""
        with self._lock:
            return self._everything_stale or bool(self._dirty)

    # -- reading (the planning thread) ------------------------------------------
    def subscriptions(self) -> list[Subscription]:
        """Every subscription as stored now: read in full once, then only the changed rows."""
        with self._lock:
            stale, dirty = self._everything_stale, self._dirty
            self._everything_stale, self._dirty = False, set()
        if stale:
            self._subscriptions = {s.id: s for s in self._load_all() if s.id is not None}
            self._window = None
        else:
            for subscription_id in dirty:
                try:
                    self._subscriptions[subscription_id] = self._load_one(subscription_id)
                except NotFoundError:
                    self._subscriptions.pop(subscription_id, None)
        if (stale or dirty) and self._load_steps is not None:
            # One small table: read whole, so a changed price reaches the subscription re-planned below.
            self.prices = histories(self._subscriptions.values(), self._load_steps())
        if not stale and self._window is not None:
            for subscription_id in dirty:
                self._replan(subscription_id)
        return list(self._subscriptions.values())

    def between(self, start: datetime, end: datetime, settings: PlanSettings, leads: Iterable[int]) -> Planned:
        """The subscriptions' reminders due in (start, end], unsorted; plans a wider window when it must."""
        start_utc, end_utc = start.astimezone(UTC), end.astimezone(UTC)
        window = self._window
        if settings != self._settings or window is None or start_utc < window[0] or end_utc > window[1]:
            self._plan_all(start_utc, end_utc, settings, max(leads, default=0))
        if not self._horizon and (start_utc, end_utc) == self._window:
            # A one-shot plan of just this window (`remind`): every entry is in it, and the caller sorts.
            return list(chain.from_iterable(self._planned.values()))
        by_due, keys = self._by_due, self._due_keys
        if by_due is None:
            by_due = self._by_due = sorted(chain.from_iterable(self._planned.values()), key=itemgetter(0))
            keys = self._due_keys = [entry[0] for entry in by_due]
        # Two bisections instead of testing every planned entry: a check asks twice, a plan holds ~10⁵.
        return by_due[bisect_right(keys, start_utc) : bisect_right(keys, end_utc)]

    def _plan_all(self, start_utc: datetime, end_utc: datetime, settings: PlanSettings, longest: int) -> None:
        # Wider than asked: the next checks (minutes or days later) are then served from this plan.
        self._settings = settings
        # A check asks for the overdue days before now (up to the longest lead time back), then for the horizon
        # after now; one plan covers both, with a week of slack so the checks of the coming days reuse it.
        if self._horizon:
            lookback = timedelta(days=longest + 3)
            end_utc = max(end_utc, start_utc + lookback + self._horizon) + timedelta(days=7)
            start_utc -= lookback
        self._window = (start_utc, end_utc)  # a one-shot check (no horizon) plans just what it asks for
        self._by_due = None
        with collector_paused():  # 10⁴ lists and 10⁵ tuples: see `collector_paused`
            planned = self._planned = {subscription_id: [] for subscription_id in self._subscriptions}
            for entry in self._compute(list(self._subscriptions.values())):
                planned[entry[2][2]].append(entry)  # the event's subscription id
        self.full_plans += 1

    def _replan(self, subscription_id: int) -> None:
        subscription = self._subscriptions.get(subscription_id)
        old = self._planned.pop(subscription_id, [])
        new = self._compute([subscription]) if subscription is not None else []
        if subscription is not None:
            self._planned[subscription_id] = new
            self.partial_plans += 1
        by_due, keys = self._by_due, self._due_keys
        if by_due is None:
            return
        # Kept in order by moving only this subscription's few entries (a list insert is a memmove).
        for entry in old:
            index = bisect_left(keys, entry[0])
            while by_due[index] is not entry:
                index += 1
            del by_due[index], keys[index]
        for entry in new:
            index = bisect_right(keys, entry[0])
            by_due.insert(index, entry)
            keys.insert(index, entry[0])

    def _compute(self, subscriptions: list[Subscription]) -> Planned:
        assert self._settings is not None and self._window is not None
        start, end = self._window
        return reminder_entries(
            subscriptions,
            start,
            end,
            default_lead_days=self._settings.defaults,
            time_of_day=self._settings.time_of_day,
            zone=self._settings.zone,
            prices=self.prices,
        )
