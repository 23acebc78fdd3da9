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


def start_window(probe: str, db_path: Path, home: Path, *arguments: str, **environ: str) -> dict[str, Any]:
    """Run `probe` as a real start of the app over `db_path` (and `arguments`), offscreen, writing its start-up marks,
    with the user's folders (config, data, state, cache) under `home` and `environ` on top; started as a user starts
    it unless `environ` says otherwise (RENEWALTRACKER_IN_TRAY: as at login)."""
    env = dict(os.environ)
    env.pop("RENEWALTRACKER_IN_TRAY", None)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        RENEWALTRACKER_STARTUP_MARKS="1",
        **environ,
    )
    return run_probe(probe, ["--db", str(db_path), *arguments], env)
