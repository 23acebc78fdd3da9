"""Views computed on a worker thread: the work runs off the GUI thread and only the newest result is shown."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
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


def test_a_generator_apply_runs_one_slice_per_event_loop_turn_and_applied_comes_after_the_last(
    qtbot: QtBot,
) -> None:
    background = LatestOnly()
    seen: list[str] = []
    background.applied.connect(lambda: seen.append("applied"))

    def apply(result: str) -> Iterator[None]:
        seen.append(result + " tables")
        QTimer.singleShot(0, lambda: seen.append("an event between"))  # queued now: runs before the next slice
        yield
        seen.append(result + " charts")

    with qtbot.waitSignal(background.applied):
        background.submit(lambda: "a", apply)
    assert seen == ["a tables", "an event between", "a charts", "applied"]
    assert not background.busy


def test_a_newer_result_drops_the_rest_of_an_older_ones_slices(qtbot: QtBot) -> None:
    background = LatestOnly()
    seen: list[str] = []
    background.applied.connect(lambda: seen.append("applied"))

    def slow(result: str) -> Iterator[None]:
        for index in range(100_000):  # far more turns than the newer work takes
            seen.append(f"{result} {index}")
            if index == 0:
                background.submit(lambda: "new", quick)
            yield

    def quick(result: str) -> Iterator[None]:
        seen.append(result)
        yield

    with qtbot.waitSignal(background.applied):
        background.submit(lambda: "old", slow)
    assert seen[-2:] == ["new", "applied"] and seen.count("applied") == 1
    assert "old 99999" not in seen


def test_the_work_starts_after_the_events_already_queued_on_the_gui_thread(qtbot: QtBot) -> None:
    background = LatestOnly()
    order: list[str] = []
    QTimer.singleShot(0, lambda: order.append("queued before"))  # as the paint of the page that asks for the work
    with qtbot.waitSignal(background.applied):
        background.submit(lambda: order.append("work"), lambda result: None)
        time.sleep(0.05)  # a worker started at once would have run by now
    assert order == ["queued before", "work"]


def test_waiting_starts_queued_work_first(qtbot: QtBot) -> None:
    background = LatestOnly()
    ran: list[str] = []
    background.submit(lambda: ran.append("work"), lambda result: None)
    background.wait()
    assert ran == ["work"]
    with qtbot.waitSignal(background.applied):
        pass
