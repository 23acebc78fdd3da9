"""Finding subscriptions in bank transactions: the same merchant charging about the same amount on a cycle."""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from statistics import median

from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.money import quantize
from renewaltracker.domain.statement import BankTransaction, display_name, is_transfer, normalize_payee

# How far an amount may stray from its level and still be the same price (taxes, exchange rates).
AMOUNT_TOLERANCE = Decimal("0.10")
# A charge the bank retried or posted twice is booked again this many days after the first.
RETRY_DAYS = 2
# A debit that comes back (a failed direct debit, a reversed card payment) is credited within days; the refund of a
# double charge may take weeks.
RETURN_DAYS = 5
REFUND_DAYS = 90
# A direct debit that came back is presented again within about two weeks.
RESUBMIT_DAYS = 14


@dataclass(frozen=True, slots=True)
class Cycle:
    """A billing cycle to test: its interval, how many days a charge may move, and the charges it needs."""

    interval: Interval
    tolerance: int
    minimum: int


# Weekend and bank-holiday shifts move a charge by up to a few days; monthly needs 3 charges, yearly 2.
CYCLES = (
    Cycle(Interval(1, Unit.WEEK), 3, 4),
    Cycle(Interval(2, Unit.WEEK), 3, 3),
    Cycle(Interval(4, Unit.WEEK), 3, 3),
    Cycle(Interval(1, Unit.MONTH), 4, 3),
    Cycle(Interval(3, Unit.MONTH), 5, 3),
    Cycle(Interval(6, Unit.MONTH), 5, 2),
    Cycle(Interval(1, Unit.YEAR), 6, 2),
)


@dataclass(frozen=True, slots=True)
class PriceChange:
    """The price went from `old` to `new` with the charge on `on`."""

    on: date
    old: Decimal
    new: Decimal


@dataclass(frozen=True, slots=True)
class Candidate:
    """A subscription found in a statement, with the transactions that show it."""

    key: str
    name: str
    vendor: str
    amount: Decimal
    currency: str
    interval: Interval
    next_date: date
    confidence: float
    transactions: tuple[BankTransaction, ...]
    price_changes: tuple[PriceChange, ...] = ()
    last_day_of_month: bool = False
    ended: bool = False
    anchor: date | None = None  # the due date of the first charge, before any weekend shift

    @property
    def first_date(self) -> date:
        return self.transactions[0].date


@dataclass(frozen=True, slots=True)
class Dismissal:
    """A plan the user said is not a subscription. Without a price (dismissed before plans were told apart) it
    stands for every plan of its payee and currency."""

    key: str
    currency: str
    amount: Decimal | None = None
    interval: Interval | None = None
    anchor: date | None = None


def dismissal_of(candidate: Candidate) -> Dismissal:
    """What is remembered of a dismissed plan: its payee, price, cycle and the day it is due."""
    anchor = candidate.anchor or candidate.first_date
    return Dismissal(candidate.key, candidate.currency, candidate.amount, candidate.interval, anchor)


def dismissed_plans(candidates: Sequence[Candidate], dismissals: Iterable[Dismissal]) -> set[int]:
    """The indices of the candidates the dismissals hide: each one hides the one plan nearest in day and price, so
    that of two household plans at one merchant only the dismissed one stays hidden."""
    pairs: list[tuple[int, Decimal, int, int]] = []
    hidden: set[int] = set()
    for number, dismissal in enumerate(dismissals):
        for index, candidate in enumerate(candidates):
            if (candidate.key, candidate.currency) != (dismissal.key, dismissal.currency):
                continue
            if dismissal.amount is None or dismissal.interval is None or dismissal.anchor is None:
                hidden.add(index)
                continue
            gap = _schedule_gap(dismissal.anchor, candidate.anchor or candidate.first_date, dismissal.interval)
            prices = [candidate.amount, *(change.old for change in candidate.price_changes)]
            same_cycle = candidate.interval == dismissal.interval and gap <= _tolerance(dismissal.interval)
            if same_cycle and any(_near(dismissal.amount, price) for price in prices):
                pairs.append((gap, abs(candidate.amount - dismissal.amount), number, index))
    used: set[int] = set()
    for _gap, _difference, number, index in sorted(pairs):
        if number not in used and index not in hidden:
            used.add(number)
            hidden.add(index)
    return hidden


def _tolerance(interval: Interval) -> int:
    return next((cycle.tolerance for cycle in CYCLES if cycle.interval == interval), max(c.tolerance for c in CYCLES))


def _schedule_gap(anchor: date, day: date, interval: Interval) -> int:
    """How many days `day` lies from the nearest due date of the schedule that `anchor` starts."""
    if interval.days:
        offset = (day - anchor).days % interval.days
        return min(offset, interval.days - offset)
    months = interval.months
    steps = round(((day.year - anchor.year) * 12 + day.month - anchor.month) / months)
    start = anchor.year * 12 + anchor.month - 1
    return min(abs((day - _on_day(start + k * months, anchor.day)).days) for k in (steps - 1, steps, steps + 1))


@dataclass(frozen=True, slots=True)
class _Fit:
    cycle: Cycle
    residual: float
    next_date: date
    last_day: bool
    anchor: date


def detect_recurring(transactions: Iterable[BankTransaction], as_of: date | None = None) -> list[Candidate]:
    """Every recurring charge in `transactions`, most confident first; `as_of` is the statement's last day."""
    groups: dict[tuple[str, str], list[BankTransaction]] = {}
    credits: dict[tuple[str, str], list[BankTransaction]] = {}
    last_seen: date | None = None
    for transaction in transactions:
        last_seen = transaction.date if last_seen is None or transaction.date > last_seen else last_seen
        if transaction.amount > 0:
            # Money back from a merchant: a bank marks it a credit, so only its words can say it is a transfer.
            key = normalize_payee(transaction.payee or transaction.memo)
            if key and not is_transfer(replace(transaction, kind=""), key):
                credits.setdefault((key, transaction.currency), []).append(transaction)
        if transaction.amount >= 0:
            continue
        key = normalize_payee(transaction.payee or transaction.memo)
        if key and not is_transfer(transaction, key):
            groups.setdefault((key, transaction.currency), []).append(transaction)
    end = as_of or last_seen or date.today()
    found: list[Candidate] = []
    for (key, currency), members in groups.items():
        members.sort(key=_order)
        if (key, currency) in credits:
            members = _without_returned(members, credits[(key, currency)])
        if len(members) < 2:
            continue
        scored = _scored(key, members, end)
        if scored is not None:
            candidate, misfit = scored
            # Two plans on the 1st and the 12th of the month also pass for one every 2 weeks charged days off its
            # dates: plans on days of the month that fit better win. A plan of weeks drifts through the month, and
            # one of months split by month (quarterly thirds) would always fit better: neither is tried.
            of_months = [cycle for cycle in CYCLES if cycle.interval.months] if candidate.interval.days else []
            for plan in _phase_plans(key, members, end, misfit, of_months) or [candidate]:
                found.extend(_separate_plans(key, plan, end))
            continue
        # One merchant, several things: a monthly plan among one-off purchases, two plans at two prices, or two at
        # one price charged on different days.
        clusters = _amount_clusters(members)
        for cluster in clusters or [members]:
            subset = _candidate(key, cluster, end, least=4) if clusters else None
            for plan in [subset] if subset is not None else _phase_plans(key, cluster, end, math.inf, CYCLES):
                found.extend(_separate_plans(key, plan, end))
    found.sort(key=lambda c: (-c.confidence, c.name, c.amount, c.first_date))
    return found


def _order(transaction: BankTransaction) -> tuple[date, Decimal, str, str]:
    return (transaction.date, transaction.amount, transaction.reference, transaction.payee)


def _without_returned(members: list[BankTransaction], credits: list[BankTransaction]) -> list[BankTransaction]:
    """The debits that stayed paid: a credit of the same amount takes back a copy of a double charge it follows,
    else a debit of days before (a failed direct debit, a reversed card charge); any other credit changes nothing.
    A debit that came back and was presented again is due when the first one was."""
    by_amount: dict[Decimal, list[int]] = {}
    for index, transaction in enumerate(members):
        by_amount.setdefault(transaction.amount, []).append(index)
    gone: set[int] = set()
    returned: list[int] = []
    for credit in sorted(credits, key=_order):
        same = [i for i in by_amount.get(-credit.amount, ()) if i not in gone and members[i].date <= credit.date]
        doubled = [
            j
            for i, j in pairwise(same)
            if (members[j].date - members[i].date).days <= RETRY_DAYS
            and (credit.date - members[j].date).days <= REFUND_DAYS
        ]
        recent = [i for i in same if (credit.date - members[i].date).days <= RETURN_DAYS]
        if doubled:
            gone.add(doubled[-1])
        elif recent:
            # Of two debits days apart before it, the first came back and the second is it presented again.
            gone.add(recent[0])
            returned.append(recent[0])
    if not gone:
        return members
    kept = list(members)
    # A presentation again that came back too is due when the first one was: the one finally taken belongs there.
    first_due: dict[int, date] = {}
    for index in sorted(returned, key=lambda i: members[i].date):
        due = first_due.get(index, members[index].date)
        after = [i for i in by_amount[members[index].amount] if members[i].date > members[index].date]
        if after and after[0] in returned and (members[after[0]].date - members[index].date).days <= RESUBMIT_DAYS:
            first_due[after[0]] = due
        later = [i for i in after if i not in gone]
        if later and _presented_again(members[index].date, [members[i].date for i in later[:2]]):
            kept[later[0]] = replace(members[later[0]], due=due)
    return [t for i, t in enumerate(kept) if i not in gone]


def _presented_again(failed: date, later: list[date]) -> bool:
    """Whether the next debit of the amount is the one that came back presented again, not the next regular one:
    within two weeks, and nearer the one that failed than the debit after it."""
    gap = (later[0] - failed).days
    return gap <= RESUBMIT_DAYS and (len(later) < 2 or gap < (later[1] - later[0]).days)


def _due(transaction: BankTransaction) -> date:
    """The date a charge belongs to in its cycle: a debit presented again belongs where the first one was due."""
    return transaction.due or transaction.date


def _slots(members: Sequence[BankTransaction]) -> list[list[int]]:
    """The charges of each date of the cycle, by index: copies on one day and postings again within days join it."""
    slots: list[list[int]] = []
    for index, transaction in enumerate(members):
        if slots:
            first = members[slots[-1][0]]
            if transaction.amount == first.amount and (_due(transaction) - _due(first)).days <= RETRY_DAYS:
                slots[-1].append(index)
                continue
        slots.append([index])
    return slots


def _separate_plans(key: str, candidate: Candidate, end: date) -> list[Candidate]:
    """One plan, or several when household members pay the same plan: a run of same-day copies that is a plan too."""
    transactions = candidate.transactions
    days = [[i for i in slot if transactions[i].date == transactions[slot[0]].date] for slot in _slots(transactions)]
    plans: list[Candidate] = []
    taken: set[int] = set()
    # Copy k of each day, over the longest run of days that have it; a stray copy is a double charge, kept above.
    for copy in range(1, max(len(day) for day in days)):
        start, stop = _longest_run([len(day) > copy for day in days])
        layer = [days[i][copy] for i in range(start, stop)]
        plan = _candidate(key, [transactions[i] for i in layer], end) if len(layer) >= 2 else None
        if plan is None or plan.interval != candidate.interval:
            break
        plans.append(plan)
        taken.update(layer)
    if not plans:
        return [candidate]
    base = _candidate(key, [t for i, t in enumerate(transactions) if i not in taken], end)
    return [candidate] if base is None else [base, *plans]


def _longest_run(flags: list[bool]) -> tuple[int, int]:
    """The longest stretch of true flags (the latest of equals) as (start, stop)."""
    best = (0, 0)
    start = 0
    for index, flag in enumerate([*flags, False]):
        if not flag:
            if index - start >= best[1] - best[0]:
                best = (start, index)
            start = index + 1
    return best


def _phase_plans(
    key: str, members: list[BankTransaction], end: date, misfit: float, cycles: Sequence[Cycle]
) -> list[Candidate]:
    """The plans among charges at one price that fall on several days of one of `cycles`: each day's charges, when
    they make a plan of that cycle nearer its dates than `misfit` (two members' plans at one merchant, one charged
    on the 3rd, one on the 20th)."""
    if misfit <= 0:
        return []
    # Only charges of one exact price, and only when every day's charges make a plan: a shop's purchases at
    # about one price, on whatever days, must not pass for plans.
    plans: list[Candidate] = []
    by_amount: dict[Decimal, list[BankTransaction]] = {}
    for transaction in members:
        by_amount.setdefault(transaction.amount, []).append(transaction)
    # Two plans take at least two charges each.
    for same in (by_amount[amount] for amount in sorted(by_amount) if len(by_amount[amount]) >= 4):
        for cycle in cycles:
            clusters = _phase_clusters(same, cycle)
            if not clusters or any(len(cluster) < cycle.minimum for cluster in clusters):
                continue
            split: list[Candidate] = []
            for cluster in clusters:
                plan = _phase_plan(key, cluster, end, misfit, cycle)
                if plan is None:
                    break
                split.append(plan)
            else:
                plans.extend(split)
                break
    return plans


def _phase_plan(key: str, cluster: list[BankTransaction], end: date, misfit: float, cycle: Cycle) -> Candidate | None:
    scored = _scored(key, cluster, end)
    return scored[0] if scored is not None and scored[0].interval == cycle.interval and scored[1] < misfit else None


def _phase_clusters(members: list[BankTransaction], cycle: Cycle) -> list[list[BankTransaction]]:
    """The charges split by where in the cycle they fall, wherever two neighbours lie further apart than a shift;
    none when they do not split."""
    interval = cycle.interval
    if interval.days:
        period = interval.days
        phases = [_due(t).toordinal() % period for t in members]
    else:
        # A month counted as 31 days, a month's last day as its 31st: a shift over a month's end stays near.
        period = 31 * interval.months
        days = [_due(t) for t in members]
        phases = [
            31 * ((d.year * 12 + d.month - 1) % interval.months) + (31 if _is_month_end(d) else d.day) for d in days
        ]
    order = sorted(range(len(members)), key=lambda i: phases[i])
    count = len(order)
    cuts = {j for j in range(count) if (phases[order[(j + 1) % count]] - phases[order[j]]) % period > cycle.tolerance}
    if len(cuts) < 2:
        return []
    clusters: list[list[BankTransaction]] = []
    current: list[BankTransaction] = []
    last = max(cuts)
    for j in [*range(last + 1, count), *range(last + 1)]:
        current.append(members[order[j]])
        if j in cuts:
            clusters.append(sorted(current, key=_order))
            current = []
    return clusters


def _amount_clusters(members: Sequence[BankTransaction]) -> list[list[BankTransaction]]:
    by_amount = sorted(members, key=lambda t: (-t.amount, t.date))
    clusters: list[list[BankTransaction]] = []
    for transaction in by_amount:
        if clusters and _near(-clusters[-1][0].amount, -transaction.amount):
            clusters[-1].append(transaction)
        else:
            clusters.append([transaction])
    return [sorted(cluster, key=_order) for cluster in clusters if 2 <= len(cluster) < len(members)]


def _near(level: Decimal, amount: Decimal) -> bool:
    return abs(amount - level) <= level * AMOUNT_TOLERANCE


def _candidate(key: str, members: list[BankTransaction], end: date, least: int = 2) -> Candidate | None:
    """The subscription these charges make, if any; `least` raises every cycle's minimum (for a subset)."""
    scored = _scored(key, members, end, least)
    return scored[0] if scored is not None else None


def _scored(key: str, members: list[BankTransaction], end: date, least: int = 2) -> tuple[Candidate, float] | None:
    """The subscription these charges make with how far its dates stray (0: on time, 1: a whole tolerance)."""
    # A charge taken twice (same amount, on one day or again a day or two later) is one date of the cycle,
    # kept twice: a refund is owed for it.
    dates = [_due(members[slot[0]]) for slot in _slots(members)]
    if len(set(dates)) != len(dates):
        return None
    levels = _price_levels([-t.amount for t in members])
    if levels is None:
        return None
    fits = [
        fit for cycle in CYCLES if len(dates) >= max(least, cycle.minimum) and (fit := _fit(dates, cycle)) is not None
    ]
    if not fits:
        return None
    best = min(fits, key=lambda fit: (fit.residual / fit.cycle.tolerance, fit.cycle.minimum))
    currency = members[0].currency
    amount = quantize(Decimal(str(median(-t.amount for t in members[levels[-1][0] :]))), currency)
    changes = tuple(
        PriceChange(members[start].date, _level(members, levels[i - 1]), _level(members, (start, stop)))
        for i, (start, stop) in enumerate(levels)
        if i > 0
    )
    extra = min(0.3, 0.1 * (len(dates) - best.cycle.minimum))
    confidence = 0.5 + extra + 0.2 * (1 - best.residual / best.cycle.tolerance) - 0.05 * len(changes)
    name = display_name(key)
    candidate = Candidate(
        key=key,
        name=name,
        vendor=name,
        amount=amount,
        currency=currency,
        interval=best.cycle.interval,
        next_date=best.next_date,
        confidence=round(max(0.0, min(1.0, confidence)), 2),
        transactions=tuple(members),
        price_changes=changes,
        last_day_of_month=best.last_day,
        ended=best.next_date + timedelta(days=best.cycle.tolerance) < end,
        anchor=best.anchor,
    )
    return candidate, best.residual / best.cycle.tolerance


def _level(members: list[BankTransaction], span: tuple[int, int]) -> Decimal:
    start, stop = span
    return quantize(Decimal(str(median(-t.amount for t in members[start:stop]))), members[0].currency)


def _price_levels(amounts: list[Decimal]) -> list[tuple[int, int]] | None:
    """Split the amounts into runs at one price each; None when a middle run is a single charge (a one-off)."""
    runs: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(amounts) + 1):
        if index == len(amounts) or not _near(Decimal(median(amounts[start:index])), amounts[index]):
            runs.append((start, index))
            start = index
    # The newest price may have been charged only once so far: the statement ends there.
    if len(runs) > 3 or any(stop - start < 2 for start, stop in runs[:-1]):
        return None
    if len(runs) == 1 or runs[-1][1] - runs[-1][0] >= 2:
        return runs
    return runs if runs[-2][1] - runs[-2][0] >= 3 else None


def _fit(dates: list[date], cycle: Cycle) -> _Fit | None:
    """Whether the dates are consecutive charges of the cycle, each within its tolerance of the schedule."""
    interval = cycle.interval
    # Cheap first: every gap must be about one cycle (or two, for one missed charge) before fitting a schedule.
    shortest = (interval.days or 28 * interval.months) - 2 * cycle.tolerance
    longest = 2 * (interval.days or 31 * interval.months) + 2 * cycle.tolerance
    if any(not shortest <= (b - a).days <= longest for a, b in pairwise(dates)):
        return None
    if interval.days:
        step = interval.days
        raw = [(day - dates[0]).days for day in dates]
        indices = _step_indices(raw, step)
        if indices is None:
            return None
        offsets = [float(offset - index * step) for offset, index in zip(raw, indices, strict=True)]
        shift = median(offsets)
        residuals = [r - shift for r in offsets]
        last_index = indices[-1]
        anchor = dates[0] + timedelta(days=round(shift))
        next_date = anchor + timedelta(days=(last_index + 1) * step)
        last_day = False
    else:
        months = interval.months
        last_day = sum(_is_month_end(day) for day in dates) * 3 >= len(dates) * 2 and any(day.day < 31 for day in dates)
        # The day of the month it is due on: the one that explains the dates best (a shift can cross a month).
        fitted = [_month_fit(dates, months, target) for target in ({31} if last_day else {d.day for d in dates})]
        usable = [fit for fit in fitted if fit is not None]
        if not usable:
            return None
        _, target, indices, residuals, base = min(usable, key=lambda fit: (fit[0], fit[1]))
        next_date = _on_day(base + (indices[-1] + 1) * months, target)
        # A schedule keeps its anchor's day: a plan due on the 30th must not be anchored on a 28 February.
        anchor = max((_on_day(base + k * months, target) for k in range(indices[-1] + 1)), key=lambda d: d.day)
    steps = [b - a for a, b in pairwise(indices)]
    if any(gap < 1 for gap in steps) or sum(gap - 1 for gap in steps) > (1 if len(dates) >= 6 else 0):
        return None
    # In a long series one charge may come a day later still (a bank holiday next to a weekend: Friday's charge
    # booked on Tuesday after Easter). More, or in a short series, would let a weekly cycle fit any shopping.
    beyond = [r for r in residuals if abs(r) > cycle.tolerance]
    if len(beyond) > (1 if len(dates) >= 6 else 0) or any(abs(r) > cycle.tolerance + 1 for r in beyond):
        return None
    return _Fit(cycle, float(sum(abs(r) for r in residuals)) / len(residuals), next_date, last_day, anchor)


def _step_indices(offsets: list[int], step: int) -> list[int] | None:
    """Each charge's cycle number, rising: a charge booked days late is its own cycle's, not the next one's early."""
    # Rounding alone numbers a weekly charge 4 days late as the next week's, which its own next charge then collides
    # with. Of the two cycles around each charge, the rising numbering that skips fewest cycles (a missed charge is
    # rarer than a late one), then strays least from the dates, wins.
    best: dict[int, tuple[int, int, tuple[int, ...]]] = {0: (0, 0, (0,))}
    for offset in offsets[1:]:
        reached: dict[int, tuple[int, int, tuple[int, ...]]] = {}
        for index in (offset // step, offset // step + 1):
            before = [
                (skips + index - previous - 1, cost, path)
                for previous, (skips, cost, path) in best.items()
                if previous < index
            ]
            if before:
                skips, cost, path = min(before)
                reached[index] = (skips, cost + abs(offset - index * step), (*path, index))
        if not reached:
            return None
        best = reached
    return list(min(best.values())[2])


def _month_fit(dates: list[date], months: int, target: int) -> tuple[float, int, list[int], list[float], int] | None:
    nearest = []
    for day in dates:
        month = day.year * 12 + day.month - 1
        nearest.append(min((abs((day - _on_day(m, target)).days), m) for m in (month - 1, month, month + 1))[1])
    base = nearest[0]
    indices = []
    residuals = []
    for day, month in zip(dates, nearest, strict=True):
        if (month - base) % months:
            return None
        indices.append((month - base) // months)
        residuals.append(float((day - _on_day(month, target)).days))
    return sum(abs(r) for r in residuals), target, indices, residuals, base


def _is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _on_day(month_index: int, day: int) -> date:
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(day, calendar.monthrange(year, month + 1)[1]))
