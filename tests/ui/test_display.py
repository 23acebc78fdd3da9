"""Start-up never aborts: a display that does not answer is found before Qt tries it, and said in one line."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from renewaltracker import __main__ as entry
from renewaltracker.ui import display
from renewaltracker.ui.display import display_problem, wayland_problem, x11_problem


@pytest.fixture
def listening(tmp_path: Path) -> Iterator[Path]:
    """A Unix socket that accepts connections, as a display server's does."""
    path = tmp_path / "X7"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen()
    yield path
    server.close()


def free_display_number() -> int:
    """A display number nothing listens on here (normally 99, as the issue's reproduction uses)."""
    for number in range(99, 200):
        if not (display.X11_SOCKET_DIR / f"X{number}").exists() and x11_problem(f":{number}") is not None:
            return number
    raise AssertionError("every display number from 99 to 199 is taken")


def test_an_x_display_that_answers_is_fine(listening: Path) -> None:
    assert x11_problem(":7", socket_dir=listening.parent) is None
    assert x11_problem("unix:7.0", socket_dir=listening.parent) is None


def test_an_x_display_nobody_listens_on_is_named(tmp_path: Path) -> None:
    problem = x11_problem(":7", socket_dir=tmp_path)
    assert problem is not None and ":7 does not answer" in problem and str(tmp_path / "X7") in problem


def test_an_x_display_over_tcp() -> None:
    server = socket.socket()
    for number in range(50, 500):
        try:
            server.bind(("127.0.0.1", display.X11_TCP_BASE + number))
            break
        except OSError:
            continue
    server.listen()
    try:
        assert x11_problem(f"127.0.0.1:{number}.0") is None
    finally:
        server.close()
    problem = x11_problem(f"127.0.0.1:{number}.0")
    assert problem is not None and f"port {display.X11_TCP_BASE + number}" in problem


def test_a_malformed_display_name() -> None:
    assert "not an X display name" in (x11_problem("nonsense") or "")


def test_wayland_socket_in_the_runtime_dir(listening: Path) -> None:
    assert wayland_problem(listening.name, str(listening.parent)) is None
    assert wayland_problem(str(listening), None) is None
    assert "does not answer" in (wayland_problem("wayland-9", str(listening.parent)) or "")
    assert "XDG_RUNTIME_DIR is not" in (wayland_problem("wayland-0", None) or "")


@pytest.mark.parametrize(
    ("environ", "platform", "fine"),
    [
        ({}, "win32", True),
        ({}, "darwin", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", True),
        ({"QT_QPA_PLATFORM": "somethingnew"}, "linux", True),
        ({}, "linux", False),
        ({}, "freebsd13", False),
        ({"DISPLAY": "nonsense"}, "linux", False),
    ],
)
def test_which_environments_need_a_check(environ: dict[str, str], platform: str, fine: bool) -> None:
    assert (display_problem(environ, platform) is None) is fine


def test_either_display_answering_is_enough(listening: Path) -> None:
    dead_x = f":{free_display_number()}"
    environ = {"DISPLAY": dead_x, "WAYLAND_DISPLAY": listening.name, "XDG_RUNTIME_DIR": str(listening.parent)}
    assert display_problem(environ, "linux") is None
    # Forced onto X11, the answering Wayland socket does not count.
    assert dead_x in (display_problem({**environ, "QT_QPA_PLATFORM": "xcb"}, "linux") or "")
    both_dead = display_problem({**environ, "WAYLAND_DISPLAY": "wayland-9"}, "linux") or ""
    assert "wayland-9" in both_dead and dead_x in both_dead


def test_main_without_a_display_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(entry.sys, "platform", "linux")
    assert entry.main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no display" in err and "renewaltracker --help" in err


def test_a_display_that_does_not_answer_exits_2_in_one_line_without_abort(tmp_path: Path) -> None:
    number = free_display_number()
    environ = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    environ.update(DISPLAY=f":{number}", RENEWALTRACKER_LOG_DIR=str(tmp_path))
    command = [sys.executable, "-m", "renewaltracker", "--db", str(tmp_path / "t.sqlite3")]
    result = subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert f"the X display :{number} does not answer" in result.stderr
    assert not (tmp_path / "t.sqlite3").exists()  # refused before anything was opened


@pytest.mark.parametrize(
    ("how", "said"),
    [
        ("--lang", "renewaltracker: Fehler: kein Display"),
        ("setting", "renewaltracker: erreur\u00a0: aucun écran"),
        ("system", "renewaltracker: Fehler: kein Display"),
    ],
)
def test_without_a_display_the_line_speaks_the_users_language(
    how: str, said: str, db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In the language a command would speak: --lang, else the database's language setting, else the system's."""
    for variable in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr(entry.sys, "platform", "linux")
    argv = ["--db", str(db_path)]
    if how == "--lang":
        argv += ["--lang", "de"]
    elif how == "setting":
        with sqlite3.connect(db_path) as connection:
            connection.execute("INSERT INTO settings (key, value) VALUES ('language', 'fr')")
        connection.close()
    else:
        monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert entry.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(said), err
    assert "renewaltracker --help" in err
