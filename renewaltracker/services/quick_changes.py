"""Changes from the command line on plain sqlite3 (storage/quick_write.py): what SubscriptionService does for
them, minus SQLAlchemy. A change is made here only when nothing has to hear of it: on the command line the one
listener is the auto-export (services/auto_export.py), so with a calendar file to keep current nothing is
written here and the caller goes through the services, which write it and then refresh the file."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from renewaltracker.services.auto_export import export_target

if TYPE_CHECKING:
    from renewaltracker.domain.clock import Clock
    from renewaltracker.domain.subscription import Subscription
    from renewaltracker.storage.quick_write import QuickWriter


def add_subscription(writer: QuickWriter, subscription: Subscription, clock: Clock) -> Subscription | None:
    """SubscriptionService.add, or None (nothing written) when a calendar file is to be refreshed after it."""
    with writer.transaction() as writes:
        # Read inside the write transaction, so a file set meanwhile by another process is not missed.
        if export_target(writes.setting("auto_export_path")) is not None:
            return None
        return writes.add_subscription(replace(subscription, id=None), clock.now())
