"""Reminder use cases: what is due, claiming it exactly once, snoozes and pauses. No Qt."""

from __future__ import annotations

import logging
import time as stdlib_time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from operator import itemgetter
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from dateutil import tz

from renewaltracker.domain.clock import Clock, system_zone
from renewaltracker.domain.events import Event, EventKind, events_between, price_step_events
from renewaltracker.domain.prices import PriceHistory, PriceStep
from renewaltracker.domain.reminders import (
    EARLY_BOOKING_DAYS,
    EXTRA_KINDS,
    Reminder,
    ReminderEntry,
    ReminderKey,
    collector_paused,
    entry_order,
    event_window,
    latest_per_event,
    local_moment,
    mark_late,
    merge_same_moment,
    recorded_charges,
    refund_window_events,
    reminder_entries,
    reminder_from,
    reminders_between,
    trial_ends_in_a_charge,
)
from renewaltracker.domain.subscription import Charge, Subscription
from renewaltracker.services.reminder_plan import PlanSettings, ReminderPlan
from renewaltracker.services.reminder_store import ReminderStore
from renewaltracker.storage.errors import DatabaseBusyError

if TYPE_CHECKING:  # the ORM loads only with a service; `remind` on a current database runs without it
    from renewaltracker.services.subscriptions import Change, SubscriptionService
    from renewaltracker.storage.database import Database

log = logging.getLogger(__name__)

EventSource = Callable[[date, date], list[Event]]
# A claim not confirmed within this time belongs to a process that died before showing it.
STALE_CLAIM = timedelta(minutes=5)
# How far ahead `next_due_time` looks; the UI re-plans long before this runs out.
LOOKAHEAD = timedelta(days=60)
_CLAIM_ATTEMPTS = 5


@dataclass(frozen=True, slots=True)
class _State:
    """One consistent read of everything planning needs, so a check loads the subscriptions once."""

    subscriptions: list[Subscription]
    defaults: tuple[int, ...]
    time_of_day: time
    paused_until: datetime | None
    pending_snoozes: list[tuple[ReminderKey, datetime]]
    charges: list[Charge]  # recorded charges of subscriptions with a refund window
    refund_lead: int
    prices: dict[int, PriceHistory]

    longest_lead: int  # the longest lead time or refund window of any subscription, in days

    def all_leads(self) -> list[int]:
        """Every lead time that matters for the window: only the longest does."""
        return [self.longest_lead]


# An overdue entry, its sort key (`entry_order`) and the Reminder built from it.
_Ordered = tuple[ReminderEntry, tuple[datetime, tuple[date, int, str, int], int], Reminder]


def _longest_lead(subscriptions: list[Subscription], defaults: tuple[int, ...]) -> int:
    own = (d for s in subscriptions if s.reminder_days is not None for d in s.reminder_days)
    refund = (s.refund_days or 0 for s in subscriptions)
    return max(max(own, default=0), max(refund, default=0), *defaults, 0)


def local_zone(clock: Clock) -> tzinfo:
    """The user's time zone with its DST rules: the clock's own zone if it has one, else the system's."""
    zone = clock.now().tzinfo
    if isinstance(zone, ZoneInfo):
        return zone
    system = system_zone()
    return system if system is not None else (zone or tz.tzlocal())


# Reminders that stay due when the charge they name is recorded: they are about something other than a coming charge.
_NOT_ABOUT_A_COMING_CHARGE = EXTRA_KINDS | {EventKind.REFUND_WINDOW_END, EventKind.PRICE_STEP}
# How long a missed follow-up keeps waiting to be shown (the app may stay closed for weeks).
FOLLOW_UP_CATCH_UP_DAYS = 90


class ReminderService:
    """Plans reminders from subscriptions and settings, and records each one delivered, once."""

    def __init__(
        self,
        database: Database | None,
        subscription_service: SubscriptionService | None,
        clock: Clock,
        extra_sources: Sequence[EventSource] = (),
        zone: tzinfo | None = None,
        plan_ahead: timedelta = LOOKAHEAD + timedelta(days=1),
        *,
        store: ReminderStore | None = None,
    ) -> None:
        """`plan_ahead`: how far past a check the kept plan reaches (0 for a one-shot check, e.g. `remind`).
        `store`: where to read and claim (default: the service's database); without a service nothing tells the
        kept plan of changes, which suits a one-shot check."""
        self.database = database
        self.subscriptions = subscription_service
        if store is None:
            if subscription_service is None:
                raise ValueError("a reminder service needs a subscription service or a store")
            from renewaltracker.services.reminder_data import ServiceReminderStore

            store = ServiceReminderStore(subscription_service)
        self.store = store
        self.clock = clock
        self.extra_sources = list(extra_sources)
        self._zone_given = zone is not None
        self.zone = zone if zone is not None else local_zone(clock)
        self.plan = ReminderPlan(store.all, store.get, plan_ahead, self._price_steps)
        self._fingerprint: tuple[object, ...] | None = None
        # Refund-window ends by window, then by subscription (see `_refund_windows`).
        self._refund_cache: dict[
            tuple[date, date], dict[int, tuple[Subscription, list[Charge], PriceHistory | None, list[Event]]]
        ] = {}
        # The last check's overdue entries by identity, each with its place in the order reminders are shown and
        # its Reminder: the kept plan hands back the same entry objects until their subscription changes, so a
        # check after one change builds and orders only that one's afresh (see `_in_order`).
        self._ordered: dict[int, _Ordered] = {}
        if subscription_service is not None:
            subscription_service.subscribe(self._changed)

    def follow_system_zone(self) -> bool:
        """Take up the machine's time zone if it changed since (a laptop that travelled): reminders then fall due at
        the reminder time where the user is now. True when it changed; a zone given at creation stays."""
        if self._zone_given:
            return False
        tzset = getattr(stdlib_time, "tzset", None)  # Unix: the process reads the zone once unless told
        if tzset is not None:
            tzset()
        follow = getattr(self.clock, "follow_system_zone", None)  # the system clock on Windows
        if follow is not None:
            follow()
        zone = local_zone(self.clock)
        if zone == self.zone:
            return False
        log.info("the system time zone changed; reminders follow it")
        self.zone = zone
        return True

    def _price_steps(self) -> dict[int, list[PriceStep]]:
        with self.store.transaction() as data:
            return data.price_steps()

    def _changed(self, change: Change, subscription_id: int | None) -> None:
        """Re-plan only the subscription a change touched; settings are compared on every check anyway."""
        if change != "settings":  # Change.SETTINGS, a StrEnum
            self.plan.changed(subscription_id)

    def _setting(self, key: str) -> Any:
        with self.store.transaction() as data:
            return data.setting(key)

    # -- settings ------------------------------------------------------------
    def paused_until(self) -> datetime | None:
        value: datetime | None = self._setting("reminders_paused_until")
        return value

    def pause(self, until: datetime | None) -> None:
        """Hold reminders back until `until` (None resumes); what falls due meanwhile comes as one summary."""
        if until is not None and until.tzinfo is None:
            raise ValueError("a pause needs a time-zone aware end")
        text = until.isoformat() if until else ""
        if self.subscriptions is not None:
            self.subscriptions.set_setting("reminders_paused_until", text)  # the service tells the views
            return
        with self.store.transaction(write=True) as data:  # the tray at login: no views to tell
            data.set_setting("reminders_paused_until", text)

    def _time_of_day(self) -> time:
        value: time = self._setting("reminder_time")
        return value

    def tomorrow_at_reminder_time(self, now: datetime) -> datetime:
        """Where "until tomorrow" snoozes and pauses end."""
        local_today = now.astimezone(self.zone).date()
        return local_moment(local_today + timedelta(days=1), self._time_of_day(), self.zone)

    # -- planning ------------------------------------------------------------
    def _read_state(self) -> _State:
        with self.store.transaction() as data:
            fingerprint = data.fingerprint()
            defaults = data.setting("reminder_days")
            time_of_day = data.setting("reminder_time")
            paused_until = data.setting("reminders_paused_until")
            refund_lead = data.setting("refund_window_reminder_days")
            pending_snoozes = data.pending_snoozes()
        if fingerprint != self._fingerprint and self._fingerprint is not None and not self.plan.has_changes():
            self.plan.changed(None)  # changed by another process (the command line): read everything again
        self._fingerprint = fingerprint
        subscriptions = self.plan.subscriptions()
        # Only plans with a refund window need their recorded charges (to know which were refunded): one query.
        refundable = {s.id for s in subscriptions if s.refund_days and s.id}
        charges: list[Charge] = []
        if refundable:
            with self.store.transaction() as data:
                charges = [c for c in data.refund_window_charges() if c.subscription_id in refundable]
        return _State(
            subscriptions=subscriptions,
            defaults=defaults,
            time_of_day=time_of_day,
            paused_until=paused_until,
            pending_snoozes=pending_snoozes,
            charges=charges,
            refund_lead=refund_lead,
            prices=self.plan.prices,
            longest_lead=_longest_lead(subscriptions, defaults),
        )

    def _extra_events(self, first: date, last: date) -> list[Event]:
        events: list[Event] = []
        for source in self.extra_sources:
            try:
                events.extend(source(first, last))
            except Exception:  # another feature's bug must not silence every reminder
                log.exception("reminder event source failed")
        return events

    def _planned(self, start: datetime, end: datetime, state: _State) -> list[ReminderEntry]:
        """Reminders due in (start, end], unsorted, with their UTC due times: the kept plan plus follow-ups."""
        settings = PlanSettings(state.defaults, state.time_of_day, self.zone)
        planned = self.plan.between(start, end, settings, state.all_leads())
        first, last = event_window(start, end, state.all_leads())
        # Follow-ups, reviews and refund windows come from the contact log, the settings and the recorded
        # charges, not from the schedules alone: few, and planned afresh each time.
        extra = self._extra_events(first, last)
        extra += self._refund_windows(first, last, state)
        follow_ups = reminder_entries(
            [],
            start,
            end,
            default_lead_days=state.defaults,
            time_of_day=state.time_of_day,
            zone=self.zone,
            extra_events=extra,
            refund_lead_days=state.refund_lead,
        )
        planned.extend(follow_ups)
        # A charge already recorded has happened: its reminders (and its cancel-by) have nothing left to say.
        with self.store.transaction() as data:
            recorded = data.recorded_between(first - timedelta(days=EARLY_BOOKING_DAYS), last)
        if not recorded:
            return planned
        recorded = recorded_charges(recorded, state.subscriptions)
        return [
            entry
            for entry in planned
            if entry[2].kind in _NOT_ABOUT_A_COMING_CHARGE
            or (entry[2].subscription_id, entry[2].charge_date) not in recorded
        ]

    def _refund_windows(self, first: date, last: date, state: _State) -> list[Event]:
        """`refund_window_events`, kept one subscription at a time while the subscription, its recorded
        charges, its prices and the days asked for stay the same: a check re-plans only what changed."""
        caches = self._refund_cache
        cache = caches.get((first, last))
        if cache is None:
            if len(caches) >= 2:  # a check asks for two windows (overdue and ahead); older days are done with
                del caches[next(iter(caches))]
            cache = caches[first, last] = {}
        recorded: dict[int, list[Charge]] = {}
        for charge in state.charges:
            recorded.setdefault(charge.subscription_id, []).append(charge)
        windows: list[Subscription] = []
        missing: list[Subscription] = []
        for subscription in state.subscriptions:
            sid = subscription.id
            if not subscription.refund_days or sid is None:
                continue
            windows.append(subscription)
            kept = cache.get(sid)
            charges, history = recorded.get(sid, []), state.prices.get(sid)
            if kept is None or kept[0] is not subscription or kept[1] != charges or kept[2] is not history:
                missing.append(subscription)
        if missing:
            # Planned in one call (which shares the charge days of plans of one phase), then kept one by one.
            planned: dict[int, list[Event]] = {}
            charges_of_missing = [c for s in missing for c in recorded.get(s.id or 0, [])]
            for event in refund_window_events(missing, charges_of_missing, first, last, state.prices):
                planned.setdefault(event.subscription_id, []).append(event)
            for subscription in missing:
                sid = subscription.id or 0
                cache[sid] = (subscription, recorded.get(sid, []), state.prices.get(sid), planned.get(sid, []))
        return [event for subscription in windows for event in cache[subscription.id or 0][3]]

    def _plan(self, start: datetime, end: datetime, state: _State) -> list[Reminder]:
        """Reminders due in (start, end], ordered as `reminders_between` orders them."""
        planned = self._planned(start, end, state)
        with collector_paused():
            planned.sort(key=entry_order)
            return [reminder_from(entry) for entry in planned]

    def _overdue(self, now: datetime, state: _State) -> list[Reminder]:
        """Reminders due by `now` whose event has not passed yet, claimed or not, ordered as `reminders_between`
        orders them."""
        start = now - timedelta(days=max(state.all_leads()) + 2)
        local_today = now.astimezone(self.zone).date()
        # Events already past are dropped before sorting and building: most of a long look-back is past.
        planned = [entry for entry in self._planned(start, now, state) if entry[2][0] >= local_today]
        with collector_paused():
            overdue = self._in_order(planned)
        return overdue + self._late_follow_ups(now, local_today, state)

    def _in_order(self, planned: list[ReminderEntry]) -> list[Reminder]:
        """`planned` sorted by `entry_order` and built as Reminders, reusing what the last check made of the same
        entry objects (kept by identity, and only those of this check: nothing else stays alive)."""
        known = self._ordered
        kept: dict[int, _Ordered] = {}
        rows: list[_Ordered] = []
        for entry in planned:
            row = known.get(id(entry))
            if row is None or row[0] is not entry:
                row = (entry, entry_order(entry), reminder_from(entry))
            kept[id(entry)] = row
            rows.append(row)
        self._ordered = kept
        rows.sort(key=itemgetter(1))  # stable, as sorting the entries themselves was
        return [row[2] for row in rows]

    def _late_follow_ups(self, now: datetime, local_today: date, state: _State) -> list[Reminder]:
        """Follow-ups whose day has passed: still due until delivered, snoozed or their request resolved."""
        first = local_today - timedelta(days=FOLLOW_UP_CATCH_UP_DAYS)
        late = [e for e in self._extra_events(first, local_today - timedelta(days=1)) if e.kind is EventKind.FOLLOW_UP]
        if not late:
            return []
        return reminders_between(
            [],
            now - timedelta(days=FOLLOW_UP_CATCH_UP_DAYS + 1),
            now,
            default_lead_days=state.defaults,
            time_of_day=state.time_of_day,
            zone=self.zone,
            extra_events=late,
        )

    def _rebuild(self, due_at: dict[ReminderKey, datetime], state: _State, now: datetime) -> list[Reminder]:
        """Reminders for keys (snoozed or stale), with their events as they stand now; gone events drop out, and so
        do events that have passed (but follow-ups and reviews, still to do) or whose charge was recorded."""
        if not due_at:
            return []
        first = min(k.event_date for k in due_at)
        last = max(k.event_date for k in due_at)
        events = events_between(state.subscriptions, first, last, state.prices) + [
            e for e in self._extra_events(first, last) if e.kind in EXTRA_KINDS
        ]
        events += price_step_events(state.subscriptions, state.prices, first, last)
        # Refund windows from the charges, so a charge refunded meanwhile drops out.
        events = [e for e in events if e.kind is not EventKind.REFUND_WINDOW_END]
        events += refund_window_events(state.subscriptions, state.charges, first, last, state.prices)
        # As a planned reminder would be: not of a trial that no charge follows, not once its charge is recorded.
        quiet = {s.id for s in state.subscriptions if s.trial_end is not None and not trial_ends_in_a_charge(s)}
        with self.store.transaction() as data:
            recorded = (
                data.recorded_between(first - timedelta(days=EARLY_BOOKING_DAYS), max(e.charge_date for e in events))
                if events
                else set()
            )
        recorded = recorded_charges(recorded, state.subscriptions)
        today = now.astimezone(self.zone).date()
        events = [
            e
            for e in events
            if (e.date >= today or e.kind in EXTRA_KINDS)
            and not (e.kind is EventKind.TRIAL_END and e.subscription_id in quiet)
            and (e.kind in _NOT_ABOUT_A_COMING_CHARGE or (e.subscription_id, e.charge_date) not in recorded)
        ]
        notice = {s.id: s.notice_days for s in state.subscriptions}
        rebuilt = []
        for event in events:
            for key, moment in due_at.items():
                if (key.subscription_id, key.kind, key.event_date) == (event.subscription_id, event.kind, event.date):
                    days = notice.get(event.subscription_id)
                    cancel_by = event.date - timedelta(days=days) if event.kind is EventKind.CHARGE and days else None
                    rebuilt.append(Reminder(key, moment, event, cancel_by))
        return rebuilt

    def due(self, now: datetime) -> list[Reminder]:
        """What would be delivered now: unclaimed overdue reminders (one per event) and due snoozes."""
        shown, _, snoozed = self._due(now, self._read_state())
        return shown + merge_same_moment(snoozed)

    def _due(self, now: datetime, state: _State) -> tuple[list[Reminder], list[Reminder], list[Reminder]]:
        """(to show, superseded by a later reminder of the same event or dropped, due snoozes)."""
        if state.paused_until is not None and now < state.paused_until:
            return [], [], []
        overdue = self._overdue(now, state)
        with self.store.transaction() as data:
            taken = data.claimed(r.key for r in overdue)
        # A reminder no closer to its event than one already given says nothing new (lead times made longer
        # after a warning): it is recorded as covered, never shown.
        closest: dict[tuple[int, EventKind, date], int] = {}
        for key in taken:
            closest[key.event_id] = min(key.lead_days, closest.get(key.event_id, key.lead_days))
        fresh: list[Reminder] = []
        covered: list[Reminder] = []
        for reminder in overdue:
            key = reminder.key
            if key in taken:
                continue
            given = closest.get(key.event_id)
            (covered if given is not None and given <= key.lead_days else fresh).append(reminder)
        latest = latest_per_event(fresh)
        latest_keys = {r.key for r in latest}  # a set: comparing every reminder with every shown one was quadratic
        marked, dropped = mark_late(latest, now, state.refund_lead)
        shown = merge_same_moment(marked)
        superseded = [r for r in fresh if r.key not in latest_keys] + dropped + covered
        snoozed = self._rebuild({key: until for key, until in state.pending_snoozes if until <= now}, state, now)
        return shown, superseded, snoozed

    def next_due_time(self, now: datetime) -> datetime | None:
        """When the next reminder or snooze falls due after `now` (a pause moves it to the pause's end)."""
        return self._next_due(now, self._read_state())

    def _next_due(self, now: datetime, state: _State) -> datetime | None:
        if state.paused_until is not None and state.paused_until > now:
            return state.paused_until  # one wake at the pause's end collects whatever fell due meanwhile
        # In UTC, so a reminder in the repeated DST hour compares by the moment, not by the wall clock.
        now_utc = now.astimezone(UTC)
        upcoming = [entry[0] for entry in self._planned(now, now + LOOKAHEAD, state)]
        upcoming.extend(until.astimezone(UTC) for _, until in state.pending_snoozes)
        return min((moment for moment in upcoming if moment > now_utc), default=None)

    # -- delivery --------------------------------------------------------------
    def claim_due(self, now: datetime) -> list[Reminder]:
        """Claim what is due in one transaction; returns only what this process won and must now show.

        Claim-then-deliver: the key is committed before the notification is shown, so a second process can
        never show it too. Call `confirm` once shown; a claim left unconfirmed by a crash is shown again
        (as part of a summary) after STALE_CLAIM.
        """
        return self.check(now)[0]

    def check(self, now: datetime) -> tuple[list[Reminder], datetime | None]:
        """`claim_due` and `next_due_time` from one read of the database: what the scheduler does on each wake."""
        state = self._read_state()
        for attempt in range(_CLAIM_ATTEMPTS):
            try:
                return self._claim_once(now, state), self._next_due(now, state)
            except DatabaseBusyError:  # the other process held the write lock past busy_timeout
                if attempt == _CLAIM_ATTEMPTS - 1:
                    raise
                stdlib_time.sleep(0.05 * (attempt + 1))
        return [], None

    def _claim_once(self, now: datetime, state: _State) -> list[Reminder]:
        shown, superseded, snoozed = self._due(now, state)
        with self.store.transaction(write=True) as log_:
            won = [r for r in shown if log_.claim(r.key, r.due_at, now)]
            for reminder in won:
                for companion in reminder.companions:  # delivered with it, so recorded with it
                    log_.claim(companion.key, companion.due_at, now)
            for reminder in superseded:
                if log_.claim(reminder.key, reminder.due_at, now):
                    log_.confirm([reminder.key], now)  # covered by the later reminder shown in its place
            # Claimed one by one, then merged again as they were first shown (a trial end with its charge).
            won.extend(merge_same_moment(r for r in snoozed if log_.claim_snooze(r.key, now)))
            today = now.astimezone(self.zone).date()
            for key, until in state.pending_snoozes:
                if until <= now and key.event_date < today and key.kind not in EXTRA_KINDS:
                    log_.claim_snooze(key, now)  # its event has passed: closed, not rebuilt at every check
            stale = [(k, at) for k, at in log_.unconfirmed_before(now - STALE_CLAIM) if log_.reclaim(k, at, now)]
        if stale:
            log.warning("re-delivering %d reminders a crashed process had claimed but not shown", len(stale))
            # Merged again as first claimed: a trial end comes back with its charge that day, as one notice.
            won.extend(merge_same_moment(r for r in self._rebuild(dict(stale), state, now) if r.event.date >= today))
        return won

    def confirm(self, reminders: Iterable[Reminder]) -> None:
        """Record that these reminders reached the user."""
        with self.store.transaction(write=True) as data:
            data.confirm([key for r in reminders for key in r.keys], self.clock.now())

    def snooze(self, key: ReminderKey, until: datetime) -> None:
        """Show this reminder again at `until`."""
        self._snooze([key], until)

    def snooze_shown(self, reminders: Iterable[Reminder], until: datetime) -> None:
        """Show these reminders again at `until`, with every reminder merged into each: a notice that merged several
        brings them all back, not only the one it was built around."""
        self._snooze([key for reminder in reminders for key in reminder.keys], until)

    def _snooze(self, keys: list[ReminderKey], until: datetime) -> None:
        if until.tzinfo is None:
            raise ValueError("a snooze needs a time-zone aware time")
        with self.store.transaction(write=True) as data:  # one transaction: a notice is snoozed whole or not at all
            for key in keys:
                data.snooze(key, until)
