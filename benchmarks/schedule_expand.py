"""Times expanding one year of events for 10,000 subscriptions (issue #13's target: 0.1 s CPU).

What is timed is `events_between` up to its result: the sorted list of `Event` tuples, every one of them built,
which is what each consumer (calendar, upcoming list, tray, reminder check, `upcoming` command) iterates. Three
figures: cold (nothing cached: every subscription expanded), warm (the same subscriptions asked again, as the
views and the reminder check do after a refresh) and after one subscription changed (only it is expanded).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dataclasses import replace

from benchmarks.population import population
from renewaltracker.domain.events import EventKind, clear_cache, events_between


def _time(run: Callable[[], object], repeats: int, before: Callable[[], object] = lambda: None) -> tuple[float, float]:
    """Best wall and CPU seconds of `run` over `repeats` runs, `before` untimed ahead of each."""
    timings, cpu = [], []
    for _ in range(repeats):
        before()
        began, began_cpu = time.perf_counter(), time.process_time()
        run()
        timings.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    return min(timings), min(cpu)


def main(count: int = 10_000, repeats: int = 7) -> None:
    subscriptions = population(count)
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    events = events_between(subscriptions, start, end)
    charges = sum(1 for e in events if e.kind is EventKind.CHARGE)
    print(f"{count} subscriptions, one year: {len(events)} events ({charges} charges), each built as an Event")
    events = []  # releasing ~10⁵ events is not part of expanding

    def expand() -> None:
        events_between(subscriptions, start, end)

    def change_one() -> None:
        subscriptions[count // 2] = replace(subscriptions[count // 2], name="Changed")

    load = os.getloadavg()[0]
    for label, before in (("cold", clear_cache), ("warm", lambda: None), ("one changed", change_one)):
        wall, cpu = _time(expand, repeats, before)
        print(f"{label:>11}: best of {repeats}: CPU {cpu:.3f} s, wall {wall:.3f} s")
    print(f"(load average {load:.1f}; median figures wander with the machine's load)")


if __name__ == "__main__":
    main()
