"""File → Restore from backup…: the window reloads from the restored database; a bad backup changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from renewaltracker.domain.errors import ValidationError
from renewaltracker.storage.backup import backup_database
from renewaltracker.ui.composition import Features
from tests.factories import make_subscription


def _names(features: Features) -> list[str]:
    features.window.load()
    return sorted(record.subscription.name for record in features.window.model.records())


def test_restore_replaces_the_data_and_the_window_reloads(qtbot: QtBot, features: Features, tmp_path: Path) -> None:
    context = features.window.context
    context.service.add(make_subscription(name="Kept"))
    assert context.database.path is not None
    backup = backup_database(context.database.path, tmp_path / "backup.sqlite3")
    context.service.add(make_subscription(name="Added after the backup"))
    assert _names(features) == ["Added after the backup", "Kept"]
    assert features.restore.action in features.window.menu("file").actions()

    message = features.restore.restore(backup)

    assert _names(features) == ["Kept"]  # the table shows the restored file without restarting
    assert [s.name for s in context.service.all()] == ["Kept"]  # and the service writes to it
    aside = Path(message.split("kept at ")[1].rstrip("."))
    assert aside.exists() and aside != context.database.path
    context.service.add(make_subscription(name="After the restore"))
    assert "After the restore" in _names(features)


def test_a_damaged_backup_changes_nothing(qtbot: QtBot, features: Features, tmp_path: Path) -> None:
    context = features.window.context
    context.service.add(make_subscription(name="Mine"))
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError, match=r"bad\.sqlite3"):
        features.restore.restore(bad)
    assert _names(features) == ["Mine"]
    assert [s.name for s in context.service.all()] == ["Mine"]
    assert context.database.path is not None
    assert not list(context.database.path.parent.glob("*before-restore*"))


def test_after_a_restore_the_window_still_hears_other_processes(
    qtbot: QtBot, features: Features, tmp_path: Path
) -> None:
    from renewaltracker.cli import main as cli_main

    context = features.window.context
    path = context.database.path
    assert path is not None
    context.service.add(make_subscription(name="Kept"))
    context.signals.watch(path)
    backup = backup_database(path, tmp_path / "backup.sqlite3")
    features.restore.restore(backup)
    # The restored file is another file at the same path: the watcher follows it, and does not take it for one
    # another program put there.
    argv = ["--db", str(path), "add", "--name", "From the CLI", "--amount", "3", "--every", "1 month"]
    assert cli_main([*argv, "--start", "2026-01-05"]) == 0
    qtbot.waitUntil(lambda: "From the CLI" in _names(features), timeout=2000)


def test_a_backup_with_a_row_the_window_cannot_read_changes_nothing(
    qtbot: QtBot, features: Features, tmp_path: Path
) -> None:
    """An intact SQLite file whose amount was hand-edited to "abc": the window would have stopped on it at the next
    reload and at every start after."""
    context = features.window.context
    assert context.database.path is not None
    context.service.add(make_subscription(name="Mine"))
    bad = backup_database(context.database.path, tmp_path / "edited.sqlite3")
    with sqlite3.connect(bad) as connection:
        connection.execute("UPDATE subscriptions SET amount = 'abc'")
    connection.close()
    context.service.add(make_subscription(name="Since"))
    with pytest.raises(ValidationError, match=r"edited\.sqlite3: table subscriptions row 1: amount: 'abc'"):
        features.restore.restore(bad)
    assert _names(features) == ["Mine", "Since"]
    context.service.add(make_subscription(name="Still saved"))
    assert "Still saved" in _names(features)


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("de", "eine Datenbank im Arbeitsspeicher kann nicht ersetzt werden"),
        ("fr", "impossible de remplacer une base de données en mémoire"),
    ],
)
def test_an_in_memory_database_is_refused_in_the_interface_language(
    features: Features, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, said: str
) -> None:
    from renewaltracker.i18n import install_language
    from renewaltracker.ui.error_text import error_text

    monkeypatch.setattr(features.window.context.database, "path", None)
    install_language(language)
    try:
        with pytest.raises(ValidationError) as raised:
            features.restore.restore(tmp_path / "backup.sqlite3")
        assert said in error_text(raised.value)
    finally:
        install_language("en")
