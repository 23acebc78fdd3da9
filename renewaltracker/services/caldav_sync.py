"""Sync to a CalDAV calendar: create, update and delete this app's events by UID, and only those."""

from __future__ import annotations

import hashlib
import logging
import re
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import caldav
from caldav.elements import dav
from caldav.lib import error as dav_error

from renewaltracker.i18n import _, ngettext
from renewaltracker.services.ics_export import CalendarExporter, ExportOptions, wrap_calendar
from renewaltracker.services.secrets import SecretStore, SecretUnavailable
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.calendar import CalDAVSyncRepository, SyncedEvent

log = logging.getLogger(__name__)
SECRET_PURPOSE = "caldav"
TIMEOUT_SECONDS = 30
_DTSTAMP = re.compile(rb"^DTSTAMP:[^\r\n]*\r\n", re.MULTILINE)
_SAFE = re.compile(r"[^A-Za-z0-9._-]")
_ETAGS = '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
Progress = Callable[[int, int, str], None]


class SyncError(Exception):
    """A sync or connection problem, worded for the user; a password typed into an address is never shown."""

    def __init__(self, message: str) -> None:
        super().__init__(without_credentials(message))


@dataclass(frozen=True, slots=True)
class CalDAVAccount:
    url: str
    user: str
    calendar_name: str
    include_amounts: bool = True

    @property
    def key(self) -> str:
        """Identifies the calendar in the sync records without asking the server."""
        return f"{self.url.rstrip('/')}|{self.user}|{self.calendar_name}"

    @property
    def login(self) -> str:
        """The keyring account name: one password per server and user, whichever calendar."""
        return f"{self.user}@{self.url.rstrip('/')}"


@dataclass(frozen=True, slots=True)
class PlannedEvent:
    uid: str
    resource: str
    ics: bytes
    digest: str


@dataclass(frozen=True, slots=True)
class SyncPlan:
    account: CalDAVAccount
    events: tuple[PlannedEvent, ...]
    known: dict[str, SyncedEvent]
    full: bool = False  # resend every event, whatever the records say


@dataclass
class SyncOutcome:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    repaired: int = 0  # deleted or edited on the server by someone else, and put back
    stored: list[SyncedEvent] = field(default_factory=list)
    forgotten: list[str] = field(default_factory=list)
    error: str | None = None

    def summary(self) -> str:
        done = _("{created} created, {updated} updated, {deleted} deleted, {unchanged} unchanged").format(
            created=self.created, updated=self.updated, deleted=self.deleted, unchanged=self.unchanged
        )
        if self.repaired:
            done += _(", {repaired} repaired (changed on the server)").format(repaired=self.repaired)
        if not self.error:
            return _("Synced: {done}.").format(done=done)
        if self.created or self.updated or self.deleted:
            return _("Sync stopped: {error} ({done} before that).").format(error=self.error, done=done)
        return _("Sync stopped: {error}.").format(error=self.error)


def resource_name(uid: str) -> str:
    """The file name of an event on the server, derived from its UID (a second name for one UID gets a 409)."""
    safe = _SAFE.sub("_", uid)
    if safe != uid:
        safe += "-" + hashlib.sha1(uid.encode()).hexdigest()[:8]
    return safe + ".ics"


_USERINFO = re.compile(r"(?<=://)[^/@\s]*@")


def without_credentials(text: str) -> str:
    """Any "scheme://user:password@host" in `text` without its user and password: never print credentials."""
    return _USERINFO.sub("", text)


def plain_error(problem: BaseException, url: str) -> str:
    """A connection or server error in words a user can act on, with any password in the address removed."""
    return without_credentials(_plain_error(problem, without_credentials(url)))


def _plain_error(problem: BaseException, url: str) -> str:
    host = urlsplit(url).netloc or url
    chain: list[BaseException] = []
    current: BaseException | None = problem
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    if isinstance(problem, dav_error.AuthorizationError):
        return _("{host} refused the user name or password (HTTP 401); check them and try again").format(host=host)
    if any(isinstance(item, ssl.SSLError) or "SSL" in type(item).__name__ for item in chain):
        return _(
            "no secure (TLS) connection to {host}: its certificate is not trusted or it does not "
            "speak HTTPS at this address ({problem})"
        ).format(host=host, problem=problem)
    if any(type(item).__name__ in {"Timeout", "ReadTimeout", "ConnectTimeout"} for item in chain):
        return _("{host} did not answer within {timeout_seconds} seconds; try again later").format(
            host=host, timeout_seconds=TIMEOUT_SECONDS
        )
    if isinstance(problem, OSError):
        return _("cannot reach {host}: check the address and your internet connection").format(host=host)
    if isinstance(problem, dav_error.NotFoundError):
        return _("{url} was not found on the server (HTTP 404); check the address").format(url=url)
    if isinstance(problem, dav_error.DAVError):
        return _("{host} answered with an error: {problem}").format(host=host, problem=problem)
    return _("unexpected problem talking to {host}: {kind}: {problem}").format(
        host=host, kind=type(problem).__name__, problem=problem
    )


class CalDAVSync:
    """Reads what to sync from the database, talks to the server, then records what it put there."""

    def __init__(self, service: SubscriptionService, secrets: SecretStore) -> None:
        self.service = service
        self.secrets = secrets
        # Used only when no keyring exists: the password lives as long as this process and is never written.
        self._session_passwords: dict[str, str] = {}

    def account(self) -> CalDAVAccount:
        setting = self.service.setting
        return CalDAVAccount(
            url=str(setting("caldav_url")).strip(),
            user=str(setting("caldav_user")).strip(),
            calendar_name=str(setting("caldav_calendar")).strip() or "Renewals",
            include_amounts=bool(setting("caldav_amounts")),
        )

    def stored_password(self, account: CalDAVAccount) -> str | None:
        """The keyring's password for the account; None when none is stored or no keyring exists."""
        try:
            stored = self.secrets.get(SECRET_PURPOSE, account.login)
        except SecretUnavailable:
            stored = None
        return stored if stored is not None else self._session_passwords.get(account.login)

    def store_password(self, account: CalDAVAccount, password: str) -> None:
        """Raises SecretUnavailable when no keyring exists; the password is then kept for this session only."""
        self._session_passwords[account.login] = password
        self.secrets.set(SECRET_PURPOSE, account.login, password)

    def plan(self, account: CalDAVAccount | None = None, *, full: bool = False) -> SyncPlan:
        """Everything the sync will send, computed from the database (on the caller's thread); `full` resends all."""
        account = account or self.account()
        if not account.url:
            raise SyncError(_("no CalDAV address is set; enter your server's address first"))
        options = ExportOptions(include_amounts=account.include_amounts, calendar_name=account.calendar_name)
        planned = []
        for event in CalendarExporter(self.service).events(options):
            uid = str(event["UID"])
            ics = bytes(wrap_calendar([event], account.calendar_name).to_ical())
            digest = hashlib.sha256(_DTSTAMP.sub(b"", ics)).hexdigest()
            planned.append(PlannedEvent(uid, resource_name(uid), ics, digest))
        with self.service.transaction() as session:
            known = CalDAVSyncRepository(session).for_calendar(account.key)
        return SyncPlan(account, tuple(planned), known, full)

    def record(self, plan: SyncPlan, outcome: SyncOutcome) -> None:
        """Remember what is on the server now, so the next sync sends only changes."""
        with self.service.transaction() as session:
            repository = CalDAVSyncRepository(session)
            for synced in outcome.stored:
                repository.put(plan.account.key, synced)
            for uid in outcome.forgotten:
                repository.forget(plan.account.key, uid)

    def sync(self, password: str, progress: Progress | None = None, *, full: bool = False) -> SyncOutcome:
        """Plan, push and record in one call (the command line); raises SyncError after recording partial work."""
        plan = self.plan(full=full)
        outcome = push(plan, password, progress)
        self.record(plan, outcome)
        if outcome.error:
            raise SyncError(outcome.summary())
        return outcome


@contextmanager
def _connect(account: CalDAVAccount, password: str) -> Iterator[tuple[Any, Any]]:
    """A logged-in client and the user's principal; the connection is closed afterwards."""
    client_class: Any = caldav.DAVClient
    client = client_class(
        url=account.url, username=account.user or None, password=password or None, timeout=TIMEOUT_SECONDS
    )
    try:
        yield client, client.principal()
    finally:
        client.close()


def display_name(calendar: Any) -> str:
    """A calendar's name; caldav 3 renamed the accessor."""
    getter = getattr(calendar, "get_display_name", None)
    return str((getter() if callable(getter) else calendar.name) or "")


def _find_calendar(principal: Any, name: str) -> Any | None:
    for calendar in principal.calendars():
        if display_name(calendar) == name:
            return calendar
    return None


def check_connection(account: CalDAVAccount, password: str) -> str:
    """Log in and look for the calendar; returns a sentence for the user or raises SyncError."""
    if not account.url:
        raise SyncError(_("no CalDAV address is set"))
    try:
        with _connect(account, password) as (_client, principal):
            calendar = _find_calendar(principal, account.calendar_name)
    except Exception as problem:  # every failure becomes a sentence the user can act on
        raise SyncError(plain_error(problem, account.url)) from problem
    if calendar is None:
        return _("Connected. The calendar “{name}” will be created by the first sync.").format(
            name=account.calendar_name
        )
    return _("Connected. The calendar “{name}” exists and will be updated.").format(name=account.calendar_name)


def _ok(status: int) -> bool:
    return 200 <= status < 300


def _path(href: str) -> str:
    return unquote(urlsplit(href).path)


def server_etags(client: Any, calendar: Any) -> dict[str, str]:
    """Every resource in the calendar as URL path → ETag, in one PROPFIND."""
    response = client.propfind(str(calendar.url), _ETAGS, depth=1)
    found = response.expand_simple_props([dav.GetEtag()])
    return {_path(href): str(props.get(dav.GetEtag.tag) or "") for href, props in found.items()}


def _intact(known: SyncedEvent, on_server: dict[str, str]) -> bool:
    """Still on the server as this app left it: present, and with the ETag the server gave back then."""
    etag = on_server.get(_path(known.href))
    return etag is not None and (not known.etag or etag == known.etag)


def _send(client: Any, calendar: Any, plan: SyncPlan, outcome: SyncOutcome, report: Progress, total: int) -> None:
    """PUT each new, changed or tampered-with event under the resource name its UID gives."""
    base = str(calendar.url)
    on_server = server_etags(client, calendar)
    for done, event in enumerate(plan.events, start=1):
        known = plan.known.get(event.uid)
        if known is not None and not known.href.startswith(base):
            known = None  # the calendar was replaced on the server: put the event into the new one
        intact = known is not None and _intact(known, on_server)
        if known is not None and known.digest == event.digest and intact and not plan.full:
            outcome.unchanged += 1
        else:
            href = known.href if known is not None else str(calendar.url.join(event.resource))
            headers = {"Content-Type": "text/calendar; charset=utf-8"}
            response = client.put(href, event.ics.decode("utf-8"), headers)
            if not _ok(response.status):
                raise SyncError(
                    _("the server refused the event {uid} (HTTP {status})").format(
                        uid=event.uid, status=response.status
                    )
                )
            outcome.stored.append(SyncedEvent(event.uid, href, str(response.headers.get("ETag") or ""), event.digest))
            if known is None:
                outcome.created += 1
            elif not intact:
                outcome.repaired += 1
            else:
                outcome.updated += 1
        report(done, total, _("Sent {done} of {count} events").format(done=done, count=len(plan.events)))


def _remove(
    client: Any, base: str, stale: list[SyncedEvent], outcome: SyncOutcome, report: Progress, total: int
) -> None:
    """DELETE the events this app put there earlier and no longer exports; nothing else is touched."""
    done = total - len(stale)
    for synced in stale:
        if synced.href.startswith(base):
            response = client.delete(synced.href)
            if not (_ok(response.status) or response.status in (404, 410)):
                raise SyncError(
                    _("the server refused to delete {uid} (HTTP {status})").format(
                        uid=synced.uid, status=response.status
                    )
                )
            outcome.deleted += 1
        outcome.forgotten.append(synced.uid)
        done += 1
        removed = ngettext("Removed {deleted} old event", "Removed {deleted} old events", outcome.deleted)
        report(done, total, removed.format(deleted=outcome.deleted))


def _learn_etags(client: Any, calendar: Any, plan: SyncPlan, outcome: SyncOutcome) -> None:
    """Record the ETags the server gives now, also where a PUT answered without one, so the next sync can tell
    an event that someone else edited."""
    on_server = server_etags(client, calendar)
    sent = {synced.uid: synced for synced in outcome.stored}
    for event in plan.events:
        synced = sent.get(event.uid) or plan.known.get(event.uid)
        if synced is None:
            continue
        etag = on_server.get(_path(synced.href), "")
        if etag and etag != synced.etag:
            sent[event.uid] = SyncedEvent(synced.uid, synced.href, etag, synced.digest)
    outcome.stored = list(sent.values())


def push(plan: SyncPlan, password: str, progress: Progress | None = None) -> SyncOutcome:
    """Send the plan to the server: network only, so it may run off the GUI thread."""
    report: Progress = progress or (lambda _done, _total, _message: None)
    outcome = SyncOutcome()
    account = plan.account
    wanted = {event.uid for event in plan.events}
    stale = [synced for uid, synced in plan.known.items() if uid not in wanted]
    total = len(plan.events) + len(stale)
    host = without_credentials(urlsplit(account.url).netloc or account.url)
    report(0, total, _("Connecting to {host}…").format(host=host))
    try:
        with _connect(account, password) as (client, principal):
            calendar = _find_calendar(principal, account.calendar_name)
            if calendar is None:
                calendar = principal.make_calendar(name=account.calendar_name)
            _send(client, calendar, plan, outcome, report, total)
            _remove(client, str(calendar.url), stale, outcome, report, total)
            _learn_etags(client, calendar, plan, outcome)
    except SyncError as problem:
        outcome.error = str(problem)
    except Exception as problem:  # every failure becomes a sentence the user can act on
        log.info("CalDAV sync failed: %r", problem)
        outcome.error = plain_error(problem, account.url)
    return outcome
