"""Times drafting (every kind and tone) and the contact log's queries with 20,000 contacts on 500 subscriptions."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from renewaltracker.domain.clock import FixedClock  # noqa: E402
from renewaltracker.domain.contacts import Channel, Contact  # noqa: E402
from renewaltracker.domain.drafts import DraftKind, Tone  # noqa: E402
from renewaltracker.domain.interval import Interval, Unit  # noqa: E402
from renewaltracker.domain.subscription import Subscription  # noqa: E402
from renewaltracker.services.contacts import ContactService  # noqa: E402
from renewaltracker.services.drafts import DraftService  # noqa: E402
from renewaltracker.services.subscriptions import SubscriptionService  # noqa: E402
from renewaltracker.storage.contacts import ContactRepository  # noqa: E402
from renewaltracker.storage.database import open_database  # noqa: E402
from renewaltracker.storage.repositories import SubscriptionRepository  # noqa: E402

CLOCK = FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Berlin")))
WORDS = [
    "refund",
    "cancel",
    "charged",
    "twice",
    "promised",
    "escalated",
    "billing",
    "renewal",
    "price",
    "trial",
    "agent",
    "callback",
]


def timed(job: Callable[[], object], repeat: int) -> float:
    """Median seconds of `repeat` runs."""
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        job()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs)


def fill(service: SubscriptionService, subscriptions: int, contacts: int) -> None:
    rng = random.Random(7)
    now = CLOCK.now()
    with service.transaction() as session:
        repository = SubscriptionRepository(session)
        for i in range(subscriptions):
            repository.add(Subscription(f"Plan {i}", Decimal("9.99"), "USD", Interval(1, Unit.MONTH),
                                        date(2025, 1, 1) + timedelta(days=i % 365), vendor=f"Vendor {i}",
                                        order_number=f"ORD-{i}", support_email="help@vendor.example",
                                        refund_days=14), now)  # fmt: skip
        log = ContactRepository(session)
        start = datetime(2024, 1, 1, tzinfo=UTC)
        for i in range(contacts):
            at = start + timedelta(minutes=rng.randrange(0, 800 * 24 * 60))
            follow = at.date() + timedelta(days=rng.randrange(1, 60)) if rng.random() < 0.3 else None
            log.add(Contact(rng.randrange(1, subscriptions + 1), at, rng.choice(list(Channel)),
                            case_number=f"C-{i}", agent=rng.choice(["Ana", "Tom", "Priya", "Jo"]),
                            summary=" ".join(rng.choices(WORDS, k=8)), follow_up=follow))  # fmt: skip


def main(subscriptions: int = 500, contacts: int = 20_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_CONFIG_HOME"] = folder
        database = open_database(Path(folder) / "bench.sqlite3")
        service = SubscriptionService(database, CLOCK)
        began = time.perf_counter()
        fill(service, subscriptions, contacts)
        print(f"inserted {subscriptions} subscriptions and {contacts} contacts: {time.perf_counter() - began:.2f} s")
        log = ContactService(database, CLOCK)
        drafts = DraftService(service, log)
        service.record_charge(1, date(2026, 3, 1), reference="INV-1")
        every = [(kind, tone) for kind in DraftKind for tone in Tone]
        per_draft = timed(lambda: [drafts.compose(k, 1, t) for k, t in every], 5) / len(every)
        print(f"compose one draft (database reads + template): median {per_draft * 1000:.1f} ms")
        print(f"list one subscription's contacts (~{contacts // subscriptions}): "
              f"median {timed(lambda: log.list_for(1), 20) * 1000:.1f} ms")  # fmt: skip
        hits = len(log.search("refund ana"))
        print(f"search all {contacts} contacts ('refund ana', {hits} hits): "
              f"median {timed(lambda: log.search('refund ana'), 5) * 1000:.0f} ms")  # fmt: skip
        year = (date(2026, 1, 1), date(2026, 12, 31))
        events = len(log.follow_up_events(*year))
        print(f"follow_up_events for a year ({events} events): "
              f"median {timed(lambda: log.follow_up_events(*year), 5) * 1000:.0f} ms")  # fmt: skip
        database.close()


if __name__ == "__main__":
    main()
