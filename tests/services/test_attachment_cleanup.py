"""Attached files go with their records once the delete can no longer be undone, and never while a record points
to them, with two processes (the window with its Undo, the command line without) on one database."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from renewaltracker.domain.clock import FixedClock
from renewaltracker.services.attachments import AttachmentService
from renewaltracker.services.subscriptions import Deleted, SubscriptionService
from renewaltracker.storage.attachments import Attachment, attachments_dir
from renewaltracker.storage.database import open_database
from tests.factories import make_subscription

PLANS = 3
CLOCK = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
# (process, what, which plan): the window (0) deletes with Undo, the command line (1) for good.
steps = st.lists(
    st.tuples(
        st.integers(0, 1),
        st.sampled_from(["attach", "attach_charge", "delete", "undo", "lapse", "charge_rm", "restore_elsewhere"]),
        st.integers(0, PLANS - 1),
    ),
    max_size=14,
)


def _files(database_path: Path) -> set[str]:
    folder = attachments_dir(database_path)
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


@given(steps)
# The window's Undo pending while the other process brings the same records back: its lapse keeps the file.
@example([(0, "attach", 0), (0, "attach_charge", 0), (0, "delete", 0), (1, "restore_elsewhere", 0), (0, "lapse", 0)])
def test_no_live_file_is_removed_and_none_outlives_its_undo(
    migrated_template: Path, plan: list[tuple[int, str, int]]
) -> None:
    """Before: a deleted plan's or charge's files stayed in the folder for ever, and `backup` copied them on."""
    _run(migrated_template, FixedClock(CLOCK), plan)


def _run(template: Path, clock: FixedClock, plan: list[tuple[int, str, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "renewals.sqlite3"
        shutil.copyfile(template, path)
        receipt = Path(folder) / "receipt.pdf"
        receipt.write_bytes(b"%PDF-1.4")
        databases = [open_database(path), open_database(path)]
        try:
            services = [SubscriptionService(db, clock) for db in databases]
            names = [f"Plan {n}" for n in range(PLANS)]
            ids: dict[str, int | None] = {}
            for name in names:
                saved = services[1].add(make_subscription(name=name))
                ids[name] = saved.id
            pending: Deleted | None = None  # the window's Undo offer
            elsewhere = False  # its records were brought back by the other process (as a restored backup does)
            for process, what, which in plan:
                service, sid = services[process], ids[names[which]]
                alive = sid is not None and any(s.id == sid for s in service.all())
                if what in ("attach", "attach_charge") and alive:
                    assert sid is not None
                    charge = service.record_charge(sid, date(2026, 3, 1), force=True).id if what != "attach" else None
                    AttachmentService(service).attach(sid, receipt, charge)
                elif what == "delete" and alive:
                    assert sid is not None
                    if process == 0:
                        if pending is not None:
                            services[0].forget(pending)  # a new delete ends the previous one's Undo
                        pending, elsewhere = services[0].delete_undoable(sid), False
                    else:
                        service.delete(sid)
                elif what == "restore_elsewhere" and pending is not None and not elsewhere:
                    services[1].restore(pending)
                    elsewhere = True
                elif what == "undo" and pending is not None and not elsewhere:
                    services[0].restore(pending)
                    pending = None
                elif what == "lapse" and pending is not None:
                    services[0].forget(pending)
                    pending = None
                elif what == "charge_rm" and alive:
                    assert sid is not None
                    charges = service.charges(sid)
                    if charges:
                        assert charges[0].id is not None
                        service.delete_charge(sid, charges[0].id)
                # A record never points to a missing file.
                live = {a.path.name for name in names if ids[name] for a in _listed(services[1], ids[name])}
                assert live <= _files(path)
            if pending is not None:
                services[0].forget(pending)  # the window closes
            live = {a.path.name for name in names if ids[name] for a in _listed(services[1], ids[name])}
            assert _files(path) == live, "a file outlived its record"
        finally:
            for database in databases:
                database.close()


def _listed(service: SubscriptionService, subscription_id: int | None) -> list[Attachment]:
    assert subscription_id is not None
    return AttachmentService(service).list_for(subscription_id)
