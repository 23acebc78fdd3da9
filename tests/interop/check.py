"""The interoperability check: every plan shape exported once, expanded by every client, compared with the app."""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from renewaltracker.domain.events import EVENT_LABELS, EventKind, events_between
from renewaltracker.domain.interval import parse_interval
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.services.ics_export import EventBuilder, wrap_calendar
from tests.interop.clients import CLIENTS, Client, Occurrence

TODAY = date(2026, 3, 10)
# Four years from today: two Februaries of leap years' neighbours and the leap day 2028-02-29.
FIRST, LAST = date(2026, 1, 1), date(2030, 3, 31)
KINDS = (EventKind.CHARGE, EventKind.TRIAL_END, EventKind.CANCEL_BY)
TABLE = Path(__file__).resolve().parents[2] / "docs" / "interop.md"


def _shape(name: str, every: str, anchor: date, **more: Any) -> Subscription:
    values: dict[str, Any] = {"name": name, "amount": Decimal("9.99"), "currency": "EUR"}
    return Subscription(**values, interval=parse_interval(every), anchor=anchor, **more)


# Every plan shape the app supports; each name is unique and free of parentheses (the summary is parsed).
SHAPES: tuple[Subscription, ...] = (
    _shape("Every 3 days", "3 days", date(2026, 1, 2)),
    _shape("Every 2 weeks", "2 weeks", date(2026, 1, 5)),
    _shape("Monthly on the 15th", "1 month", date(2025, 11, 15)),
    _shape("Every 5 months", "5 months", date(2025, 6, 20)),
    _shape("Yearly", "1 year", date(2024, 7, 1)),
    _shape("Every 2 years", "2 years", date(2025, 5, 3)),
    _shape("Monthly on the 29th", "1 month", date(2025, 12, 29)),
    _shape("Monthly on the 30th", "1 month", date(2025, 12, 30)),
    _shape("Monthly on the 31st", "1 month", date(2025, 12, 31)),
    _shape("Every 2 months on the 30th", "2 months", date(2025, 12, 30)),
    _shape("Quarterly on the 31st", "3 months", date(2025, 8, 31)),
    _shape("Yearly on 29 February", "1 year", date(2024, 2, 29)),
    _shape("Keep clipped day from the 31st", "1 month", date(2026, 1, 31), keep_clipped_day=True),
    _shape("Keep clipped day 29 February", "1 year", date(2024, 2, 29), keep_clipped_day=True),
    _shape("Trial then monthly", "1 month", None, trial_end=date(2026, 4, 2), status=Status.TRIAL),
    _shape("Notice 30 days monthly", "1 month", date(2025, 10, 15), notice_days=30),
    _shape("Notice 3 days on the 31st", "1 month", date(2025, 10, 31), notice_days=3),
    _shape("Notice 20 days yearly in March", "1 year", date(2024, 3, 10), notice_days=20),
    _shape("Notice 7 days weekly", "1 week", date(2026, 1, 6), notice_days=7),
    _shape("Paused two months", "1 month", date(2025, 9, 10), pauses=(Pause(date(2026, 5, 1), date(2026, 7, 1)),)),
    _shape(
        "Paused from a future day",
        "1 month",
        date(2025, 9, 12),
        pauses=(Pause(date(2027, 2, 1)),),
        status=Status.PAUSED,
    ),
    _shape(
        "Cancelled from a future day",
        "1 month",
        date(2025, 9, 14),
        cancelled_on=date(2027, 1, 1),
        status=Status.CANCELLED,
        notice_days=10,
    ),
    _shape("Ends on a date", "1 month", date(2025, 9, 30), end_date=date(2027, 6, 30)),
    _shape("Ends after 7 charges", "1 month", date(2025, 12, 31), end_count=7, notice_days=5),
)


def export_shapes(path: Path) -> None:
    builder = EventBuilder(
        now=datetime(2026, 3, 10, 8, 0, tzinfo=UTC),
        today=TODAY,
        lead_days=(3,),
        reminder_time=time(9, 0),
        include_amounts=True,
        expanded=False,
    )
    numbered = [_with_id(s, index) for index, s in enumerate(SHAPES, start=1)]
    events = [event for s in numbered for event in builder.build(s, f"interop-{s.id}")]
    path.write_bytes(wrap_calendar(events, "Interop").to_ical())


def _with_id(subscription: Subscription, index: int) -> Subscription:
    from dataclasses import replace

    return replace(subscription, id=index)


Key = tuple[str, EventKind, date]


def expected() -> set[Key]:
    """The app's own list over the window: what every client must show, no more, no less."""
    return {(e.name, e.kind, e.date) for e in events_between(SHAPES, FIRST, LAST) if e.kind in KINDS}


def read_summary(day: date, summary: str) -> Key:
    """(shape name, kind, date) from an exported title: "Cancel by: X", "Trial ends: X" or "X (9.99 EUR)"."""
    for kind in (EventKind.CANCEL_BY, EventKind.TRIAL_END):
        prefix = f"{EVENT_LABELS[kind].noun}: "
        if summary.startswith(prefix):
            return summary[len(prefix) :], kind, day
    return summary.split(" (", 1)[0], EventKind.CHARGE, day


@dataclass(frozen=True)
class Outcome:
    client: str
    missing: dict[str, list[Key]]  # shape → expected but not shown
    extra: dict[str, list[Key]]  # shape → shown but not expected
    duplicates: int


def compare(client: Client, found: list[Occurrence]) -> Outcome:
    keys = [read_summary(day, summary) for day, summary in found if FIRST <= day <= LAST]
    seen = set(keys)
    want = expected()
    missing: dict[str, list[Key]] = {}
    extra: dict[str, list[Key]] = {}
    for key in sorted(want - seen):
        missing.setdefault(key[0], []).append(key)
    for key in sorted(seen - want):
        extra.setdefault(key[0], []).append(key)
    return Outcome(client.name, missing, extra, len(keys) - len(seen))


def run(clients: tuple[Client, ...] = CLIENTS) -> list[Outcome]:
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "interop.ics"
        export_shapes(file)
        # The slow clients (khal, the Radicale server) wait on other processes, so threads overlap them.
        with ThreadPoolExecutor(max_workers=len(clients)) as pool:
            found = list(pool.map(lambda client: client.expand(file, FIRST, LAST), clients))
        return [compare(client, occurrences) for client, occurrences in zip(clients, found, strict=True)]


def table(outcomes: list[Outcome]) -> str:
    """docs/interop.md: one row per plan shape, one column per client, ✓ when the dates are exactly the app's."""
    lines = [
        "# Interoperability: the exported calendar in real clients",
        "",
        "Generated by `.venv/bin/python benchmarks/interop.py` (the check in `tests/interop/`, which CI runs);",
        "do not edit by hand. Every plan shape below is exported once, in the default (rule-based) file, and",
        f"expanded by each client from {FIRST} to {LAST}; a ✓ means the client shows exactly the app's charges,",
        "trial ends and cancel-by deadlines of that plan on exactly the app's dates (`renewaltracker upcoming`).",
        f"Today is {TODAY} in the check. How each plan shape is written is in [calendar.md](calendar.md).",
        "",
        "| Plan shape | " + " | ".join(o.client for o in outcomes) + " |",
        "|---|" + "---|" * len(outcomes),
    ]
    for shape in SHAPES:
        cells = []
        for outcome in outcomes:
            wrong = len(outcome.missing.get(shape.name, [])) + len(outcome.extra.get(shape.name, []))
            cells.append("✓" if not wrong else f"✗ {wrong} dates differ")
        lines.append(f"| {shape.name} | " + " | ".join(cells) + " |")
    count = len(expected())
    lines += ["", f"{len(SHAPES)} plan shapes, {count} expected occurrences in the window, per client.", ""]
    return "\n".join(lines)
