"""Start at login, checked by what each platform's mechanism would write."""

from __future__ import annotations

import plistlib
import shlex
from pathlib import Path

from renewaltracker.services.autostart import (
    IN_TRAY_ENV,
    WINDOWS_RUN_KEY,
    LaunchAgent,
    WindowsRunKey,
    XdgAutostart,
    apply_start_at_login,
    autostart_for,
    launch_command,
)

COMMAND = ["/opt/my apps/python3", "-m", "renewaltracker"]


class FakeRegistry:
    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}

    def set_value(self, key: str, name: str, value: str) -> None:
        self.values[(key, name)] = value

    def delete_value(self, key: str, name: str) -> None:
        self.values.pop((key, name), None)

    def get_value(self, key: str, name: str) -> str | None:
        return self.values.get((key, name))


def test_xdg_autostart_writes_a_desktop_entry_that_runs_the_app_in_the_tray(tmp_path: Path) -> None:
    autostart = XdgAutostart(tmp_path / "config")
    assert not autostart.is_enabled()
    autostart.enable(COMMAND)
    entry = (tmp_path / "config" / "autostart" / "renewaltracker.desktop").read_text(encoding="utf-8")
    lines = dict(line.split("=", 1) for line in entry.splitlines()[1:])
    assert entry.startswith("[Desktop Entry]\n")
    assert lines["Type"] == "Application"
    assert shlex.split(lines["Exec"]) == ["env", f"{IN_TRAY_ENV}=1", *COMMAND]
    assert autostart.is_enabled()
    autostart.disable()
    assert not autostart.is_enabled()
    autostart.disable()  # twice is fine


def test_a_percent_sign_in_the_path_is_not_taken_for_a_field_code(tmp_path: Path) -> None:
    command = ["/home/me/100% apps/python3", "-m", "renewaltracker"]
    autostart = XdgAutostart(tmp_path)
    autostart.enable(command)
    exec_line = autostart.path.read_text(encoding="utf-8").split("Exec=", 1)[1].splitlines()[0]
    assert "100%%" in exec_line and "100% " not in exec_line
    assert shlex.split(exec_line.replace("%%", "%")) == ["env", f"{IN_TRAY_ENV}=1", *command]


def test_windows_run_key_value_is_the_quoted_command(tmp_path: Path) -> None:
    registry = FakeRegistry()
    autostart = WindowsRunKey(registry)
    autostart.enable([r"C:\Program Files\Python311\pythonw.exe", "-m", "renewaltracker"])
    assert registry.values == {
        (WINDOWS_RUN_KEY, "Renewal Tracker"): r'"C:\Program Files\Python311\pythonw.exe" -m renewaltracker'
    }
    assert WINDOWS_RUN_KEY == r"Software\Microsoft\Windows\CurrentVersion\Run"
    assert autostart.is_enabled()
    autostart.disable()
    assert registry.values == {} and not autostart.is_enabled()


def test_macos_launch_agent_is_a_plist_run_at_load(tmp_path: Path) -> None:
    autostart = LaunchAgent(tmp_path)
    autostart.enable(COMMAND)
    path = tmp_path / "Library" / "LaunchAgents" / "org.renewaltracker.renewaltracker.plist"
    with path.open("rb") as handle:
        agent = plistlib.load(handle)
    assert agent == {
        "Label": "org.renewaltracker.renewaltracker",
        "ProgramArguments": COMMAND,
        "RunAtLoad": True,
        "ProcessType": "Interactive",
        "EnvironmentVariables": {IN_TRAY_ENV: "1"},
    }
    autostart.disable()
    assert not path.exists()


def test_the_platform_picks_its_mechanism_and_the_setting_applies_it(tmp_path: Path) -> None:
    assert isinstance(autostart_for("win32", registry=FakeRegistry()), WindowsRunKey)
    assert isinstance(autostart_for("darwin", home=tmp_path), LaunchAgent)
    linux = autostart_for("linux", home=tmp_path)
    assert isinstance(linux, XdgAutostart)
    apply_start_at_login(True, linux)
    assert launch_command()[-2:] == ["-m", "renewaltracker"]
    assert launch_command()[0] in linux.path.read_text(encoding="utf-8")
    apply_start_at_login(False, linux)
    assert not linux.is_enabled()
