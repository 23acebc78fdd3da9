"""The PySide6 reference work-around: many signal emissions must not wear True down to nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from renewaltracker.ui.app import create_application
    from PySide6.QtCore import QObject, Signal

    class Source(QObject):
        fired = Signal()

    app = create_application()
    source = Source()
    for _ in range(3_000):
        source.fired.emit()
    print("survived", flush=True)
    """
)


def test_thousands_of_emissions_do_not_abort_the_interpreter() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.stdout.strip() == "survived", result.stderr[-2000:]
    assert result.returncode == 0, result.stderr[-2000:]


def test_pin_singletons_raises_the_whole_reference_count() -> None:
    """The type made without the `ctypes` package is `ctypes.c_ssize_t`: it reads and writes an object's count."""
    import ctypes

    from renewaltracker.ui.pyside_fixes import _reference_count_type

    count = _reference_count_type()
    assert ctypes.sizeof(count) == ctypes.sizeof(ctypes.c_ssize_t) == ctypes.sizeof(ctypes.c_void_p)
    held = object()
    many = [held] * 1000
    assert count.from_address(id(held)).value == sys.getrefcount(held) - 1 == len(many) + 1
    count.from_address(id(held)).value += 5
    assert sys.getrefcount(held) - 1 == len(many) + 6
    count.from_address(id(held)).value -= 5
    assert sys.getrefcount(held) - 1 == len(many) + 1
