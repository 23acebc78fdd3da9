"""Sync against a real Radicale server on 127.0.0.1, read back with the caldav client."""

from __future__ import annotations

import base64
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import caldav
import pytest

from renewaltracker.domain.clock import FixedClock
from renewaltracker.i18n import install_language
from renewaltracker.services.caldav_sync import CalDAVSync, SyncError, check_connection, display_name, resource_name
from renewaltracker.services.data_export import export_json, restore_backup
from renewaltracker.services.ics_import import CalendarImporter
from renewaltracker.services.secrets import MemorySecretStore, SecretUnavailable
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.backup import backup_database
from renewaltracker.storage.database import open_database
from tests.factories import make_subscription
from tests.services.radicale_server import RadicaleServer, free_port, radicale


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    with radicale(tmp_path_factory.mktemp("radicale")) as running:
        yield running


def configure(service: SubscriptionService, server: RadicaleServer, calendar: str) -> CalDAVSync:
    service.set_setting("caldav_url", server.url)
    service.set_setting("caldav_user", server.user)
    service.set_setting("caldav_calendar", calendar)
    return CalDAVSync(service, MemorySecretStore())


def remote_events(server: RadicaleServer, calendar_name: str) -> dict[str, Any]:
    with caldav.DAVClient(server.url, username=server.user, password=server.password) as client:
        calendar = next(c for c in client.principal().calendars() if display_name(c) == calendar_name)
        return {str(event.icalendar_component["UID"]): event for event in calendar.events()}


def test_sync_creates_updates_and_deletes_only_its_own_events(
    service: SubscriptionService, server: RadicaleServer
) -> None:
    sync = configure(service, server, "Sync test")
    magazine = service.add(make_subscription(name="Magazine", notice_days=10))
    gym = service.add(make_subscription(name="Gym", anchor=date(2026, 2, 28), trial_end=date(2026, 2, 1)))
    progress: list[tuple[int, int]] = []
    first = sync.sync(server.password, lambda done, total, _message: progress.append((done, total)))
    planned = {event.uid for event in sync.plan().events}
    assert first.created == len(planned) and first.error is None
    assert progress[-1][0] == progress[-1][1] == len(planned)
    on_server = remote_events(server, "Sync test")
    assert set(on_server) == planned
    assert all(str(event.url).endswith(resource_name(uid)) for uid, event in on_server.items())

    again = sync.sync(server.password)
    assert (again.created, again.updated, again.deleted, again.unchanged) == (0, 0, 0, len(planned))

    # Someone else's event in the same calendar must survive our deletes.
    with caldav.DAVClient(server.url, username=server.user, password=server.password) as client:
        theirs = next(c for c in client.principal().calendars() if display_name(c) == "Sync test")
        theirs.add_event(dtstart=date(2026, 5, 1), dtend=date(2026, 5, 2), summary="Birthday", uid="birthday@else")

    service.edit(magazine.id, name="Magazine Plus")  # type: ignore[arg-type]
    service.delete(gym.id)  # type: ignore[arg-type]
    third = sync.sync(server.password)
    assert third.deleted >= 2 and third.updated >= 1 and third.error is None
    on_server = remote_events(server, "Sync test")
    assert set(on_server) == {event.uid for event in sync.plan().events} | {"birthday@else"}
    summaries = {str(event.icalendar_component["SUMMARY"]) for event in on_server.values()}
    assert any(text.startswith("Magazine Plus") for text in summaries)
    assert not any("Gym" in text for text in summaries)


def test_wrong_password_is_reported_in_plain_words(service: SubscriptionService, server: RadicaleServer) -> None:
    sync = configure(service, server, "Auth test")
    service.add(make_subscription())
    with pytest.raises(SyncError, match="refused the user name or password"):
        sync.sync("wrong")
    with pytest.raises(SyncError, match="refused the user name or password"):
        check_connection(sync.account(), "wrong")


def test_check_connection_says_what_will_happen(service: SubscriptionService, server: RadicaleServer) -> None:
    sync = configure(service, server, "Connection test")
    assert "will be created" in check_connection(sync.account(), server.password)


def test_unreachable_server_is_reported_in_plain_words(service: SubscriptionService, tmp_path: Path) -> None:
    service.set_setting("caldav_url", f"http://127.0.0.1:{free_port()}/")
    service.add(make_subscription())
    with pytest.raises(SyncError, match=r"cannot reach 127\.0\.0\.1"):
        CalDAVSync(service, MemorySecretStore()).sync("x")


def test_tls_failure_is_reported_in_plain_words(service: SubscriptionService, server: RadicaleServer) -> None:
    service.set_setting("caldav_url", server.url.replace("http://", "https://"))
    service.add(make_subscription())
    with pytest.raises(SyncError, match="no secure \\(TLS\\) connection"):
        CalDAVSync(service, MemorySecretStore()).sync(server.password)


def test_missing_address_is_explained(service: SubscriptionService) -> None:
    with pytest.raises(SyncError, match="no CalDAV address"):
        CalDAVSync(service, MemorySecretStore()).sync("x")


class NoKeyring:
    """A SecretStore on a machine without a keyring."""

    def get(self, purpose: str, account: str) -> str | None:
        raise SecretUnavailable("no keyring")

    def set(self, purpose: str, account: str, secret: str) -> None:
        raise SecretUnavailable("no keyring")

    def delete(self, purpose: str, account: str) -> None:
        raise SecretUnavailable("no keyring")


def test_without_a_keyring_the_password_lasts_for_this_session_only(service: SubscriptionService) -> None:
    service.set_setting("caldav_url", "https://dav.example/")
    sync = CalDAVSync(service, NoKeyring())
    account = sync.account()
    assert sync.stored_password(account) is None
    with pytest.raises(SecretUnavailable):
        sync.store_password(account, "session secret")
    assert sync.stored_password(account) == "session secret"
    assert CalDAVSync(service, NoKeyring()).stored_password(account) is None
    assert "session secret" not in str(service.settings())


def test_events_deleted_or_edited_on_the_server_are_put_back_at_the_next_sync(
    service: SubscriptionService, server: RadicaleServer
) -> None:
    sync = configure(service, server, "Repair test")
    service.add(make_subscription(name="Magazine", notice_days=10))
    service.add(make_subscription(name="Gym", anchor=date(2026, 2, 28)))
    sync.sync(server.password)
    planned = {event.uid: event for event in sync.plan().events}
    on_server = remote_events(server, "Repair test")
    deleted, edited = sorted(planned)[:2]
    # Another client deletes one of our events and renames another.
    on_server[deleted].delete()
    other = on_server[edited]
    other.icalendar_component["SUMMARY"] = "Renamed elsewhere"
    other.save()

    repaired = sync.sync(server.password)
    assert repaired.repaired == 2 and repaired.error is None
    assert "2 repaired" in repaired.summary()
    after = remote_events(server, "Repair test")
    assert set(after) == set(planned)
    assert str(after[edited].icalendar_component["SUMMARY"]) != "Renamed elsewhere"
    quiet = sync.sync(server.password)
    assert (quiet.created, quiet.updated, quiet.repaired, quiet.unchanged) == (0, 0, 0, len(planned))


def test_full_sync_sends_every_event_again(service: SubscriptionService, server: RadicaleServer) -> None:
    sync = configure(service, server, "Full test")
    service.add(make_subscription(name="Magazine", notice_days=10))
    first = sync.sync(server.password)
    full = sync.sync(server.password, full=True)
    assert full.updated == first.created and full.unchanged == 0


def test_the_calendar_downloaded_from_radicale_imports_back_losslessly(
    service: SubscriptionService, server: RadicaleServer, tmp_path: Path
) -> None:
    """Radicale re-serialises every event through vobject (an X- value is cut at its first unescaped comma);
    the app's data must come back whole from a plain HTTP GET of the collection, as a phone would fetch it."""
    sync = configure(service, server, "Round trip")
    originals = [
        service.add(make_subscription(name='Cloud, storage; "plus"', notes="a, b; c\\d\nline two", notice_days=14)),
        service.add(make_subscription(name="Gym, Ltd", anchor=date(2024, 2, 29), interval="1 year", category="x,y")),
    ]
    sync.sync(server.password)
    with caldav.DAVClient(server.url, username=server.user, password=server.password) as client:
        calendar = next(c for c in client.principal().calendars() if display_name(c) == "Round trip")
        url = str(calendar.url)
    request = urllib.request.Request(url)
    token = base64.b64encode(f"{server.user}:{server.password}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=10) as response:
        downloaded = response.read()
    assert b"PYVOBJECT" in downloaded  # what Radicale wrote, not what the app sent

    fresh = SubscriptionService(open_database(tmp_path / "other.sqlite3"), service.clock)
    importer = CalendarImporter(fresh)
    preview = importer.preview(downloaded)
    assert preview.problems() == []
    importer.apply(preview)
    plain = {s.name: replace(s, id=None, created_at=None, updated_at=None) for s in fresh.all()}
    assert plain == {s.name: replace(s, id=None, created_at=None, updated_at=None) for s in originals}


@pytest.mark.parametrize("kind", ["sqlite", "json"])
def test_after_a_restore_the_next_sync_removes_the_events_of_renewals_the_backup_lacks(
    server: RadicaleServer, tmp_path: Path, clock: FixedClock, kind: str
) -> None:
    """What is on the server is this machine's state, not the backup's: a renewal added after the backup was synced,
    and must leave the phone's calendar once the restore took it away (the backup's records never knew it)."""
    path = tmp_path / "renewals.sqlite3"
    database = open_database(path)
    service = SubscriptionService(database, clock)
    sync = configure(service, server, f"Restore {kind}")
    service.add(make_subscription(name="Magazine", notice_days=10))
    backup = tmp_path / f"backup.{kind}"
    if kind == "sqlite":
        sync.sync(server.password)  # the backup's records know the magazine's events
        backup_database(path, backup)
    else:
        export_json(service, backup)  # an export carries no records of a server
    service.add(make_subscription(name="Gym", anchor=date(2026, 2, 28), trial_end=date(2026, 2, 1)))
    sync.sync(server.password)
    database.close()
    restore_backup(backup, path)
    restored = open_database(path)
    try:
        service = SubscriptionService(restored, clock)
        sync = CalDAVSync(service, MemorySecretStore())
        outcome = sync.sync(server.password)
        planned = {event.uid for event in sync.plan().events}
    finally:
        restored.close()
    assert outcome.error is None
    on_server = remote_events(server, f"Restore {kind}")
    assert set(on_server) == planned
    assert not any("Gym" in str(event.icalendar_component["SUMMARY"]) for event in on_server.values())


@pytest.mark.parametrize("failure", ["refused", "answer lost"])
def test_a_sync_stopped_at_the_third_event_is_finished_by_the_next_without_duplicates(
    service: SubscriptionService, server: RadicaleServer, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    """The server answers 500 to the third PUT, or stores it and the answer never arrives: the next sync sends
    what is missing, and the calendar holds each event once."""
    sync = configure(service, server, f"Stopped {failure}")
    service.add(make_subscription(name="Magazine", notice_days=10))
    service.add(make_subscription(name="Gym", anchor=date(2026, 2, 28), trial_end=date(2026, 2, 1)))
    planned = {event.uid for event in sync.plan().events}
    assert len(planned) >= 4
    put = caldav.DAVClient.put
    calls: list[str] = []

    def third_fails(client: Any, url: Any, body: str, headers: Any = None) -> Any:
        calls.append(str(url))
        if len(calls) != 3:
            return put(client, url, body, headers)
        if failure == "refused":
            return SimpleNamespace(status=500, headers={}, reason="Internal Server Error")
        put(client, url, body, headers)
        raise ConnectionError("connection reset by peer")

    monkeypatch.setattr(caldav.DAVClient, "put", third_fails)
    stopped = r"Sync stopped: .*\(2 created, 0 updated, 0 deleted, 0 unchanged before that\)"
    with pytest.raises(SyncError, match=stopped):
        sync.sync(server.password)
    monkeypatch.undo()
    finished = sync.sync(server.password)
    assert finished.error is None
    assert (finished.created, finished.unchanged) == (len(planned) - 2, 2)
    assert set(remote_events(server, f"Stopped {failure}")) == planned
    with caldav.DAVClient(server.url, username=server.user, password=server.password) as client:
        calendar = next(c for c in client.principal().calendars() if display_name(c) == f"Stopped {failure}")
        assert len(calendar.events()) == len(planned)  # one resource per event: none sent twice under two names
    quiet = sync.sync(server.password)
    assert (quiet.created, quiet.updated, quiet.repaired, quiet.unchanged) == (0, 0, 0, len(planned))


@pytest.mark.parametrize("language", ["de", "fr"])
def test_what_the_dialog_shows_of_a_connection_test_and_a_sync_is_in_the_interface_language(
    service: SubscriptionService, server: RadicaleServer, language: str
) -> None:
    """The dialog shows check_connection's sentence and each progress line as they come: all of it in the language
    the rest of the window speaks."""
    sync = configure(service, server, f"Sprache {language}")
    service.add(make_subscription(name="Magazine", notice_days=10))
    install_language(language)
    try:
        english = {"Connected.", "will be created", "exists and will be updated", "Sent ", "Connecting to", "Removed"}
        tested = check_connection(sync.account(), server.password)
        lines: list[str] = []
        sync.sync(server.password, lambda _done, _total, message: lines.append(message))
        again = check_connection(sync.account(), server.password)
    finally:
        install_language("en")
    assert f"Sprache {language}" in tested and f"Sprache {language}" in again
    assert lines and not [text for text in [tested, again, *lines] if any(word in text for word in english)]


def test_the_progress_counts_removed_events_in_words_that_agree_with_the_number(
    service: SubscriptionService, server: RadicaleServer
) -> None:
    sync = configure(service, server, "Removed count")
    magazine = service.add(make_subscription(name="Magazine", notice_days=10))
    sent = len(sync.plan().events)
    sync.sync(server.password)
    service.delete(magazine.id)  # type: ignore[arg-type]
    lines: list[str] = []
    sync.sync(server.password, lambda _done, _total, message: lines.append(message))
    removed = [line for line in lines if line.startswith("Removed")]
    assert sent >= 2 and removed[0] == "Removed 1 old event" and removed[-1] == f"Removed {sent} old events"
