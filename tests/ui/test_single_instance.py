"""Single instance: the lock decides, and a second launch asks the first to show its window."""

from __future__ import annotations

import getpass
import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QLockFile
from pytestqt.qtbot import QtBot

from renewaltracker.ui.single_instance import LockUnavailable, SingleInstance, instance_name, user_name

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication, QTimer
    from renewaltracker.ui.single_instance import SingleInstance

    app = QCoreApplication([])
    instance = SingleInstance(Path(sys.argv[1]))
    assert instance.acquire()
    instance.show_requested.connect(lambda: (print("shown", flush=True), app.quit()))
    print("ready", flush=True)
    QTimer.singleShot(20000, app.quit)
    app.exec()
    """
)


def test_the_second_copy_in_a_process_asks_the_first_to_show(qtbot: QtBot, db_path: Path) -> None:
    first = SingleInstance(db_path)
    assert first.acquire()
    second = SingleInstance(db_path)
    with qtbot.waitSignal(first.show_requested, timeout=5000):
        assert not second.acquire()
    first.release()
    third = SingleInstance(db_path)
    assert third.acquire(), "a released lock is free again"
    third.release()


def test_a_running_copy_in_another_process_is_asked_to_show(qtbot: QtBot, db_path: Path) -> None:
    command = [sys.executable, "-c", HOLDER, str(db_path)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2]
    ) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "ready"
            launch = SingleInstance(db_path)
            assert not launch.acquire()
            assert holder.stdout.readline().strip() == "shown"
            assert holder.wait(timeout=10) == 0
        finally:
            holder.kill()
    # The holder has exited: its lock is stale (its process is gone) and the next launch takes over.
    after = SingleInstance(db_path)
    assert after.acquire()
    after.release()


# Takes the lock at once but listens only later, as the window does after its first paint.
LATE_LISTENER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QCoreApplication, QTimer
    from renewaltracker.ui.single_instance import SingleInstance

    app = QCoreApplication([])
    instance = SingleInstance(Path(sys.argv[1]))
    assert instance.take_lock()
    assert "PySide6.QtNetwork" not in sys.modules, "the lock alone needs no socket"
    instance.show_requested.connect(lambda: (print("shown", flush=True), app.quit()))
    QTimer.singleShot(int(sys.argv[2]), instance.listen)
    print("locked", flush=True)
    QTimer.singleShot(20000, app.quit)
    app.exec()
    """
)


def test_a_copy_started_before_the_first_copy_listens_is_still_shown(db_path: Path) -> None:
    command = [sys.executable, "-c", LATE_LISTENER, str(db_path), "1200"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2]
    ) as holder:
        try:
            assert holder.stdout is not None
            assert holder.stdout.readline().strip() == "locked"
            launch = SingleInstance(db_path)
            assert not launch.acquire()  # no socket yet: it waits and tries again until the holder listens
            assert holder.stdout.readline().strip() == "shown"
            assert holder.wait(timeout=10) == 0
        finally:
            holder.kill()


def test_listening_twice_keeps_the_one_server(qtbot: QtBot, db_path: Path) -> None:
    first = SingleInstance(db_path)
    assert first.take_lock() and first.server is None
    first.listen()
    server = first.server
    first.listen()  # the tray at login listened already when the window's session opens
    assert server is not None and first.server is server
    with qtbot.waitSignal(first.show_requested, timeout=5000):
        assert not SingleInstance(db_path).acquire()
    first.release()


def test_instance_names_differ_per_database(tmp_path: Path) -> None:
    assert instance_name(tmp_path / "a.sqlite3") != instance_name(tmp_path / "b.sqlite3")
    assert instance_name(tmp_path / "a.sqlite3") == instance_name(tmp_path / "." / "a.sqlite3")
    assert len(instance_name(tmp_path / "a.sqlite3")) < 50


def test_a_crashed_copy_leaves_no_lock_behind(db_path: Path) -> None:
    command = [sys.executable, "-c", HOLDER, str(db_path)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2]
    ) as holder:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        holder.kill()  # SIGKILL: no chance to unlock
        holder.wait()
    launch = SingleInstance(db_path)
    assert launch.acquire(), "the lock of a dead process is taken over"
    launch.release()


def test_the_instance_name_is_the_sha256_it_always_was(tmp_path: Path) -> None:
    """Qt computes the digest now (hashlib loaded OpenSSL); a copy of an older version must still find this one."""
    path = tmp_path / "name.sqlite3"
    expected = hashlib.sha256(f"{getpass.getuser()}\0{path.resolve()}".encode()).hexdigest()[:20]
    assert instance_name(path) == f"renewaltracker-{expected}"


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["LOGNAME", "USER", "LNAME", "USERNAME"]), st.sampled_from(["", "ann", "bo"])))
def test_the_user_name_is_getpass_s(monkeypatch: pytest.MonkeyPatch, names: dict[str, str]) -> None:
    """Read without importing getpass before the first paint, and the same name: the socket's name depends on it."""
    with monkeypatch.context() as patch:
        for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
            patch.delenv(variable, raising=False)
        for variable, value in names.items():
            patch.setenv(variable, value)
        assert user_name() == getpass.getuser()


def test_a_data_folder_that_cannot_be_made_is_named_not_raised(tmp_path: Path) -> None:
    """XDG_DATA_HOME pointing at a file: the folder is named in plain words, no OSError escapes."""
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    instance = SingleInstance(blocker / "renewaltracker" / "renewals.sqlite3")
    with pytest.raises(LockUnavailable, match="renewaltracker") as raised:
        instance.take_lock()
    assert str(blocker / "renewaltracker") in str(raised.value)


class _UnwritableLock:
    """A QLockFile in a read-only folder (root ignores file modes, so the test stands in for the file system)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fileName(self) -> str:
        return str(self.path)

    def tryLock(self, timeout: int) -> bool:
        return False

    def error(self) -> QLockFile.LockError:
        return QLockFile.LockError.PermissionError


def test_a_lock_that_cannot_be_written_is_not_taken_for_a_running_copy(tmp_path: Path) -> None:
    """A read-only data folder used to look like another copy holding the lock: the start ended silently."""
    instance = SingleInstance(tmp_path / "renewals.sqlite3")
    instance.lock = _UnwritableLock(tmp_path / "renewals.sqlite3.lock")  # type: ignore[assignment]
    with pytest.raises(LockUnavailable) as raised:
        instance.take_lock()
    assert str(tmp_path) in str(raised.value)
