"""Calendar bookkeeping within one session: imported keys and the CalDAV events this app owns."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from renewaltracker.storage.models import CalDAVSyncedRow, CalendarLinkRow


class CalendarLinkRepository:
    """Maps the key an imported subscription carried to its local id."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def all(self) -> dict[int, str]:
        """subscription id → key."""
        return {row.subscription_id: row.key for row in self.session.scalars(select(CalendarLinkRow))}

    def find(self, key: str) -> int | None:
        return self.session.scalar(select(CalendarLinkRow.subscription_id).where(CalendarLinkRow.key == key))

    def link(self, subscription_id: int, key: str) -> None:
        row = self.session.get(CalendarLinkRow, subscription_id)
        if row is None:
            self.session.add(CalendarLinkRow(subscription_id=subscription_id, key=key))
        else:
            row.key = key
        self.session.flush()


@dataclass(frozen=True, slots=True)
class SyncedEvent:
    uid: str
    href: str
    etag: str
    digest: str


class CalDAVSyncRepository:
    """The events put on one CalDAV calendar, by UID."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def for_calendar(self, calendar_url: str) -> dict[str, SyncedEvent]:
        rows = self.session.scalars(select(CalDAVSyncedRow).where(CalDAVSyncedRow.calendar_url == calendar_url))
        return {row.uid: SyncedEvent(row.uid, row.href, row.etag, row.digest) for row in rows}

    def put(self, calendar_url: str, event: SyncedEvent) -> None:
        row = self.session.get(CalDAVSyncedRow, (calendar_url, event.uid))
        if row is None:
            row = CalDAVSyncedRow(calendar_url=calendar_url, uid=event.uid)
            self.session.add(row)
        row.href, row.etag, row.digest = event.href, event.etag, event.digest
        self.session.flush()

    def forget(self, calendar_url: str, uid: str) -> None:
        self.session.execute(
            delete(CalDAVSyncedRow).where(CalDAVSyncedRow.calendar_url == calendar_url, CalDAVSyncedRow.uid == uid)
        )
