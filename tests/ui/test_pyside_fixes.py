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
