"""Run a probe script in a child Python (a real start-up, from a clean interpreter) and read the JSON it prints last."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any


def run_probe(source: str, argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    """The probe's last stdout line, parsed; a failing probe raises with its output."""
    result = subprocess.run(
        [sys.executable, "-c", source, *argv], capture_output=True, text=True, env=env, timeout=120, check=True
    )
    seen: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen
