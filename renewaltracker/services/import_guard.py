"""Imports refuse to write over a change made after their preview (another window, a command, a cron job).

A preview keeps each tracked subscription it would change as it read it; the import compares that with what is
stored, inside its own transaction, and refuses the whole import, naming the subscription and what changed.
"""

from __future__ import annotations

from dataclasses import fields

from sqlalchemy.orm import Session

from renewaltracker.domain.errors import NotFoundError, ValidationError
from renewaltracker.domain.field_labels import attribute_label
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import _
from renewaltracker.storage.repositories import SubscriptionRepository

_BOOKKEEPING = {"id", "created_at", "updated_at", "revision"}


class PreviewOutdated(ValidationError):
    """A subscription the import would change was changed or deleted after the preview; nothing was imported."""

    def __init__(self, seen: Subscription, now: Subscription | None) -> None:
        if now is None:
            what = _("was deleted")
        else:
            names = [f.name for f in fields(Subscription) if f.name not in _BOOKKEEPING]
            changed = [name for name in names if _differs(name, seen, now)]
            labels = ", ".join(_(attribute_label(name)) for name in changed)
            what = _("changed ({fields})").format(fields=labels) if changed else _("was saved again")
        super().__init__(
            _("{name!r} (subscription {id})").format(name=seen.name, id=seen.id),
            _(
                "{what} after the preview was made, in another window or by another command; nothing was imported. "
                "Open the file again to see the current state"
            ).format(what=what),
        )
        self.subscription_id = seen.id


def _differs(name: str, seen: Subscription, now: Subscription) -> bool:
    return bool(getattr(seen, name) != getattr(now, name))


def check_unchanged(session: Session, seen: Subscription, *, same_revision: bool = True) -> None:
    """Raise PreviewOutdated unless the stored subscription is still the one the preview read (same revision);
    `same_revision=False` asks only that it still exists (charges added to it change none of its fields)."""
    assert seen.id is not None
    try:
        now = SubscriptionRepository(session).get(seen.id)
    except NotFoundError:
        raise PreviewOutdated(seen, None) from None
    if now.created_at != seen.created_at:  # deleted, and its id taken by a subscription added since
        raise PreviewOutdated(seen, None)
    if same_revision and now.revision != seen.revision:
        raise PreviewOutdated(seen, now)
