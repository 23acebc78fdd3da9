"""Statements run on a background thread hand the GIL over; on the main (GUI) thread they never pause."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from renewaltracker.storage import gil_handover
from renewaltracker.storage.database import open_database
from renewaltracker.storage.quick_read import open_quick_reader
from renewaltracker.storage.quick_reminders import PlainReminderStore
from renewaltracker.storage.quick_write import open_quick_writer
from renewaltracker.storage.schema import GUI_BUSY_TIMEOUT

# Thousands of virtual-machine steps in one statement: the progress handler runs many times.
LONG_QUERY = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000) SELECT sum(x) FROM c"


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []
    monkeypatch.setattr(gil_handover.time, "sleep", recorded.append)
    monkeypatch.setattr(gil_handover, "HANDOVER_EVERY", 0.0)  # due at every call: the count does not hang on speed
    return recorded


def on_a_thread(work: Callable[[], object]) -> None:
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def test_orm_connections_hand_over_on_a_background_thread_only(tmp_path: Path, pauses: list[float]) -> None:
    database = open_database(tmp_path / "db.sqlite3")
    try:
        results: list[object] = []

        def read() -> None:
            with database.engine.connect() as connection:
                results.append(connection.execute(text(LONG_QUERY)).scalar())

        read()
        assert pauses == []
        on_a_thread(read)
        assert pauses and set(pauses) == {gil_handover.HANDOVER_PAUSE}
        assert results == [12_502_500, 12_502_500]  # the pauses change nothing the statement gives
    finally:
        database.close()


def read_long(path: Path) -> None:
    reader = open_quick_reader(path)
    assert reader is not None
    try:
        assert reader._rows(LONG_QUERY) == [(12_502_500,)]
    finally:
        reader.close()


def test_the_quick_reader_hands_over_on_a_background_thread(tmp_path: Path, pauses: list[float]) -> None:
    open_database(tmp_path / "db.sqlite3").close()
    read_long(tmp_path / "db.sqlite3")
    assert pauses == []
    on_a_thread(lambda: read_long(tmp_path / "db.sqlite3"))
    assert pauses and set(pauses) == {gil_handover.HANDOVER_PAUSE}


def write_long(path: Path) -> None:
    writer = open_quick_writer(path)
    assert writer is not None
    try:
        with writer.transaction() as writes:
            assert writes.connection.execute(LONG_QUERY).fetchall() == [(12_502_500,)]
    finally:
        writer.close()


def test_the_quick_writer_hands_over_on_a_background_thread(tmp_path: Path, pauses: list[float]) -> None:
    open_database(tmp_path / "db.sqlite3").close()
    write_long(tmp_path / "db.sqlite3")
    assert pauses == []
    on_a_thread(lambda: write_long(tmp_path / "db.sqlite3"))
    assert pauses and set(pauses) == {gil_handover.HANDOVER_PAUSE}


def test_the_light_trays_reminder_store_hands_over_on_its_worker(tmp_path: Path, pauses: list[float]) -> None:
    open_database(tmp_path / "db.sqlite3").close()
    # As ui/light_tray.py's open_light_tray opens it: one connection, shared by the GUI thread and the worker.
    writer = open_quick_writer(tmp_path / "db.sqlite3", GUI_BUSY_TIMEOUT, shared=True)
    assert writer is not None
    store = PlainReminderStore(writer)
    results: list[object] = []

    def check() -> None:
        with store.transaction(write=True) as data:
            results.append(data.connection.execute(LONG_QUERY).fetchone())

    try:
        check()
        assert pauses == []
        on_a_thread(check)
        assert pauses and set(pauses) == {gil_handover.HANDOVER_PAUSE}
        assert results == [(12_502_500,), (12_502_500,)]
    finally:
        writer.close()


@pytest.fixture
def handler_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every call of the progress handler, on whichever connection it was installed."""
    calls: list[int] = []

    def counting() -> int:
        calls.append(threading.get_ident())
        return 0

    monkeypatch.setattr(gil_handover, "hand_over", counting)
    return calls


def test_a_connection_only_the_main_thread_uses_has_no_handler(tmp_path: Path, handler_calls: list[int]) -> None:
    """The CLI's plain-sqlite3 reads and writes run on the main thread: no call into Python every few steps."""
    open_database(tmp_path / "db.sqlite3").close()  # the ORM's pooled connections have it: any thread may take one
    handler_calls.clear()
    read_long(tmp_path / "db.sqlite3")
    write_long(tmp_path / "db.sqlite3")
    assert handler_calls == []
    shared = open_quick_writer(tmp_path / "db.sqlite3", GUI_BUSY_TIMEOUT, shared=True)
    assert shared is not None
    try:
        shared.connection.execute(LONG_QUERY).fetchall()  # made on the main thread, but any thread may use it
    finally:
        shared.close()
    assert handler_calls and set(handler_calls) == {threading.get_ident()}
