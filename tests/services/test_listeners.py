"""Listeners hear every committed change, and one that fails cannot silence the others."""

from __future__ import annotations

import logging

import pytest

from renewaltracker.services.listeners import Listeners


@pytest.mark.expect_log_warnings
def test_a_failing_listener_is_logged_and_the_others_still_run(caplog: pytest.LogCaptureFixture) -> None:
    heard: list[int] = []
    listeners: Listeners[[int]] = Listeners("test")

    def broken(_: int) -> None:
        raise RuntimeError("view went away")

    listeners.add(broken)
    remove = listeners.add(heard.append)
    with caplog.at_level(logging.ERROR, logger="renewaltracker"):
        listeners(7)
    assert heard == [7]
    assert "test listener failed" in caplog.text
    remove()
    remove()  # removing twice is harmless
    listeners(8)
    assert heard == [7]
