"""Puts the app in the desktop's application menu: the XDG launcher, its icon and AppStream metainfo. No Qt."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from renewaltracker import APP_ID
from renewaltracker.assets import resource
from renewaltracker.services.autostart import launch_command, quote_exec_argument

METAINFO_ID = "org.renewaltracker.RenewalTracker"
DESKTOP_FILE = f"{APP_ID}.desktop"
METAINFO_FILE = f"{METAINFO_ID}.metainfo.xml"


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME, or ~/.local/share when it is unset or relative (the XDG spec says to ignore it then)."""
    value = (os.environ if environ is None else environ).get("XDG_DATA_HOME", "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / ".local" / "share"


def launcher_text(command: Sequence[str]) -> str:
    """The packaged desktop entry with its Exec line pointing at this installation."""
    exec_line = " ".join(quote_exec_argument(part) for part in command)
    template = resource("desktop", DESKTOP_FILE).read_text(encoding="utf-8")
    return "".join(
        f"Exec={exec_line}\n" if line.startswith("Exec=") else line for line in template.splitlines(keepends=True)
    )


def install_desktop_files(home: Path | None = None, command: Sequence[str] | None = None) -> list[Path]:
    """Write the launcher, the icon (hicolor, scalable) and the metainfo below `home`; returns the files written."""
    home = data_home() if home is None else home
    files = {
        home / "applications" / DESKTOP_FILE: launcher_text(launch_command() if command is None else command).encode(),
        home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg": resource("icons", "app.svg").read_bytes(),
        home / "metainfo" / METAINFO_FILE: resource("desktop", METAINFO_FILE).read_bytes(),
    }
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        partial.replace(path)  # a menu that rescans the folder never sees half a file
    return list(files)
