"""Run a probe script in a child Python (a real start-up, from a clean interpreter) and read the JSON it prints last."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any


def run_probe(source: str, argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    """The probe's last stdout line, parsed; a failing probe raises with its output."""
    result = subprocess.run(
        [sys.executable, "-c", source, *argv], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    seen: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen


def start_window(probe: str, db_path: Path, home: Path, **environ: str) -> dict[str, Any]:
    """Run `probe` as a real start of the window over `db_path`, offscreen, writing its start-up marks, with the
    user's folders (config, data, state, cache) under `home` and `environ` on top; never started as at login."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        RENEWALTRACKER_STARTUP_MARKS="1",
        **environ,
    )
    env.pop("RENEWALTRACKER_IN_TRAY", None)
    return run_probe(probe, ["--db", str(db_path)], env)
