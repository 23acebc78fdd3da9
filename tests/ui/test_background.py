"""Views computed on a worker thread: the work runs off the GUI thread and only the newest result is shown."""

from __future__ import annotations

import threading

import pytest
from pytestqt.qtbot import QtBot

from renewaltracker.ui.background import LatestOnly


def test_work_runs_on_a_worker_and_the_result_is_applied_on_the_gui_thread(qtbot: QtBot) -> None:
    background = LatestOnly()
    seen: dict[str, object] = {}

    def work() -> int:
        seen["work"] = threading.current_thread()
        return 42

    def apply(result: int) -> None:
        seen["apply"] = threading.current_thread()
        seen["result"] = result

    with qtbot.waitSignal(background.applied):
        background.submit(work, apply)
    assert seen["work"] is not threading.main_thread()
    assert seen["apply"] is threading.main_thread() and seen["result"] == 42


def test_a_newer_request_drops_the_older_result(qtbot: QtBot) -> None:
    background = LatestOnly()
    release = threading.Event()
    applied: list[str] = []

    def slow() -> str:
        release.wait(5)
        return "old"

    background.submit(slow, applied.append)
    background.submit(lambda: "middle", applied.append)  # queued behind the slow one, then already stale
    background.submit(lambda: "new", applied.append)
    release.set()
    qtbot.waitUntil(lambda: not background.busy)
    assert applied == ["new"]


@pytest.mark.expect_log_warnings  # the failure is logged
def test_a_failing_computation_keeps_what_was_shown(qtbot: QtBot) -> None:
    background = LatestOnly()
    applied: list[int] = []
    with qtbot.waitSignal(background.applied):
        background.submit(lambda: 1, applied.append)

    def broken() -> int:
        raise OSError("database is locked")

    background.submit(broken, applied.append)
    qtbot.waitUntil(lambda: not background.busy)
    assert applied == [1]
