"""Start at login, per platform: an XDG autostart entry, a Windows Run value, or a macOS LaunchAgent. No Qt."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from renewaltracker import APP_ID, APP_NAME

# Set in the login entry so the app starts quietly in the tray instead of opening its window.
IN_TRAY_ENV = "RENEWALTRACKER_IN_TRAY"
WINDOWS_RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
LAUNCH_AGENT_LABEL = f"org.{APP_ID}.{APP_ID}"


def launch_command() -> list[str]:
    """How to start this very installation of the app: its Python running the package."""
    python = Path(sys.executable)
    if sys.platform == "win32" and python.name.lower() == "python.exe":
        windowless = python.with_name("pythonw.exe")  # no console window flashing up at login
        python = windowless if windowless.exists() else python
    return [str(python), "-m", APP_ID]


class Autostart(Protocol):
    def enable(self, command: Sequence[str]) -> None: ...

    def disable(self) -> None: ...

    def is_enabled(self) -> bool: ...


def quote_exec_argument(argument: str) -> str:
    """Quote for a desktop entry's Exec key (freedesktop spec: double quotes, backslash escapes)."""
    # "%" starts a field code (%f, %u, …) anywhere in Exec, quoted or not: a literal one is written "%%".
    argument = argument.replace("%", "%%")
    if argument and not any(c in argument for c in " \t\n\r\"'\\><~|&;$*?#()`"):
        return argument
    quoted = argument.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`").replace("$", "\\$")
    # Exec is a string value too, unescaped before the quoting rule is read: each backslash is doubled again (a
    # single one before " or $ made GLib refuse the whole file), and whitespace other than a space is escaped so
    # the entry stays one line.
    escaped = quoted.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"'


def _replace(path: Path, data: bytes) -> None:
    """Write the entry in one step: a full disk leaves the old one whole, never a cut one the desktop cannot read."""
    # Imported here: the window's start-up imports this module for IN_TRAY_ENV alone.
    from renewaltracker.services.files import write_private

    write_private(path, data)


class XdgAutostart:
    """Linux and other freedesktop systems: `~/.config/autostart/renewaltracker.desktop`."""

    def __init__(self, config_home: Path) -> None:
        self.path = config_home / "autostart" / f"{APP_ID}.desktop"

    def enable(self, command: Sequence[str]) -> None:
        exec_line = " ".join(quote_exec_argument(part) for part in ("env", f"{IN_TRAY_ENV}=1", *command))
        text = (
            "[Desktop Entry]\n"
            "Type=Application\n"
            f"Name={APP_NAME}\n"
            "Comment=Reminders before automatic renewals charge you\n"
            f"Exec={exec_line}\n"
            f"Icon={APP_ID}\n"
            "Terminal=false\n"
            "X-GNOME-Autostart-enabled=true\n"
        )
        _replace(self.path, text.encode("utf-8"))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        return self.path.is_file()


class RegistryWriter(Protocol):
    """The few registry operations needed, so tests can check what would be written without winreg."""

    def set_value(self, key: str, name: str, value: str) -> None: ...

    def delete_value(self, key: str, name: str) -> None: ...

    def get_value(self, key: str, name: str) -> str | None: ...


def _winreg() -> Any:
    """The standard library's winreg, loaded only on Windows (typed loosely: its stubs are Windows-only)."""
    return importlib.import_module("winreg")


class WinregWriter:
    """HKEY_CURRENT_USER through the standard library's winreg (Windows only)."""

    def set_value(self, key: str, name: str, value: str) -> None:
        winreg = _winreg()
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
            winreg.SetValueEx(handle, name, 0, winreg.REG_SZ, value)

    def delete_value(self, key: str, name: str) -> None:
        winreg = _winreg()
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key, 0, winreg.KEY_SET_VALUE) as handle:
                winreg.DeleteValue(handle, name)
        except FileNotFoundError:
            pass

    def get_value(self, key: str, name: str) -> str | None:
        winreg = _winreg()
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                value, _ = winreg.QueryValueEx(handle, name)
        except FileNotFoundError:
            return None
        return str(value)


def _windows_command_line(command: Sequence[str]) -> str:
    return " ".join(f'"{part}"' if " " in part or not part else part for part in command)


class WindowsRunKey:
    """Windows: a value named after the app under HKCU\\...\\CurrentVersion\\Run."""

    def __init__(self, registry: RegistryWriter) -> None:
        self.registry = registry

    def enable(self, command: Sequence[str]) -> None:
        self.registry.set_value(WINDOWS_RUN_KEY, APP_NAME, _windows_command_line(command))

    def disable(self) -> None:
        self.registry.delete_value(WINDOWS_RUN_KEY, APP_NAME)

    def is_enabled(self) -> bool:
        return self.registry.get_value(WINDOWS_RUN_KEY, APP_NAME) is not None


class LaunchAgent:
    """macOS: a LaunchAgent property list in `~/Library/LaunchAgents/` run at load (login)."""

    def __init__(self, home: Path) -> None:
        self.path = home / "Library" / "LaunchAgents" / f"{LAUNCH_AGENT_LABEL}.plist"

    def enable(self, command: Sequence[str]) -> None:
        agent = {
            "Label": LAUNCH_AGENT_LABEL,
            "ProgramArguments": list(command),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
            "EnvironmentVariables": {IN_TRAY_ENV: "1"},
        }
        import plistlib  # macOS only; the window's start-up imports this module for IN_TRAY_ENV

        _replace(self.path, plistlib.dumps(agent))

    def disable(self) -> None:
        self.path.unlink(missing_ok=True)

    def is_enabled(self) -> bool:
        return self.path.is_file()


def autostart_for(
    platform: str | None = None,
    *,
    home: Path | None = None,
    config_home: Path | None = None,
    registry: RegistryWriter | None = None,
) -> Autostart:
    """The start-at-login mechanism of this (or the named) platform."""
    platform = platform or sys.platform
    home = home or Path.home()
    if platform == "win32":
        return WindowsRunKey(registry or WinregWriter())
    if platform == "darwin":
        return LaunchAgent(home)
    if config_home is None:
        config_home = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    return XdgAutostart(config_home)


def apply_start_at_login(enabled: bool, autostart: Autostart | None = None) -> None:
    """Make the login entry match the `start_at_login` setting."""
    target = autostart or autostart_for()
    if enabled:
        target.enable(launch_command())
    else:
        target.disable()
