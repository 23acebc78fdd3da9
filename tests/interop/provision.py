"""Installs the interoperability check's real clients on a fresh machine, as far as this user may.

The README's test command runs from a clean clone, so the check sets up what it can itself: khal into
.venv-khal and ical.js into .interop-node (both git-ignored, no root needed), and, as root on Debian, calcurse,
libical and Gnumeric (which reads the CSV export) with apt-get. Whatever is still missing comes back as the
command that installs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tests.interop.clients import (
    ROOT,
    calcurse_path,
    icaljs_modules,
    khal_path,
    libical_flags,
    postal_mime_modules,
    ssconvert_path,
)

Runner = Callable[[Sequence[str]], str | None]  # runs a command; None when it worked, else why it did not


@dataclass(frozen=True)
class Tool:
    """A client that is not a Python package of the test extras: how to find it and how to install it."""

    client: str
    where: Callable[[], str | None]
    apt: tuple[str, ...]  # Debian packages, when root may install them
    command: str  # what a person runs, shown when the tool is still missing


TOOLS = (
    Tool("calcurse", calcurse_path, ("calcurse",), "sudo apt-get install calcurse (or set INTEROP_CALCURSE)"),
    Tool(
        "khal",
        khal_path,
        (),
        "python3 -m venv .venv-khal && .venv-khal/bin/pip install khal (or set INTEROP_KHAL)",
    ),
    Tool(
        "ical.js (Thunderbird)",
        icaljs_modules,
        (),
        "install Node.js with npm, then: npm install --prefix .interop-node ical.js (or set INTEROP_ICALJS)",
    ),
    Tool(
        "postal-mime (mail reader)",
        postal_mime_modules,
        (),
        "install Node.js with npm, then: npm install --prefix .interop-node postal-mime (or set INTEROP_POSTALMIME)",
    ),
    Tool(
        "libical (Evolution)",
        libical_flags,
        ("libical-dev", "pkg-config"),
        "sudo apt-get install libical-dev pkg-config gcc",
    ),
    Tool("Gnumeric", ssconvert_path, ("gnumeric",), "sudo apt-get install gnumeric (or set INTEROP_SSCONVERT)"),
)


# The clients npm installs, by the package it installs.
NODE_PACKAGES = {"ical.js (Thunderbird)": "ical.js", "postal-mime (mail reader)": "postal-mime"}


def run_quietly(command: Sequence[str]) -> str | None:
    """Runs an install command in the repository; its error output's last lines when it fails."""
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        done = subprocess.run(
            list(command), cwd=ROOT, env=environment, capture_output=True, text=True, timeout=900, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    return None if done.returncode == 0 else " ".join(done.stderr.strip().splitlines()[-3:])[:400]


def may_use_apt() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get") is not None


def provision(run: Runner = run_quietly, apt_allowed: Callable[[], bool] = may_use_apt) -> list[str]:
    """Installs every missing tool that can be installed here; one line per tool still missing afterwards."""
    notes: dict[str, str] = {}
    missing = [tool for tool in TOOLS if tool.where() is None]
    packages = [package for tool in missing for package in tool.apt]
    if packages and apt_allowed():
        compiler = [] if shutil.which("cc") else ["gcc", "libc6-dev"]
        failed = run(["apt-get", "update", "-qq"]) or run(["apt-get", "install", "-y", "-qq", *packages, *compiler])
        for tool in missing:
            if tool.apt and failed:
                notes[tool.client] = failed
    if any(tool.client == "khal" for tool in missing):
        venv = str(ROOT / ".venv-khal")
        failed = run([sys.executable, "-m", "venv", venv]) or run([f"{venv}/bin/pip", "install", "-q", "khal"])
        if failed:
            notes["khal"] = failed
    for client, package in NODE_PACKAGES.items():
        if any(tool.client == client for tool in missing) and shutil.which("npm") and shutil.which("node"):
            folder = str(ROOT / ".interop-node")
            failed = run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", folder, package])
            if failed:
                notes[client] = failed
    still = [tool for tool in missing if tool.where() is None]
    return [f"{t.client}: {t.command}" + (f" [tried: {notes[t.client]}]" if t.client in notes else "") for t in still]
