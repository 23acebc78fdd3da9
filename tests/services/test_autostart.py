"""Start at login, checked by what each platform's mechanism would write."""

from __future__ import annotations

import plistlib
import shlex
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
from renewaltracker.services.desktop_entry import launcher_text
from tests.services.test_desktop_entry import validator

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


def desktop_string(value: str) -> str:
    """A desktop entry string value as readers see it: the spec's escapes \\s \\n \\t \\r \\\\ undone."""
    escapes = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
    out, chars = [], iter(value)
    for char in chars:
        out.append(escapes.get(next(chars, ""), "\\?") if char == "\\" else char)
    assert "\\?" not in out, f"an escape the spec does not define in {value!r}"
    return "".join(out)


def exec_arguments(exec_value: str) -> list[str]:
    """The Exec key's arguments by the Desktop Entry spec: string escapes first, then the quoting rule (double
    quotes; inside them a backslash escapes " ` $ and itself), then %% as a literal %."""
    text = desktop_string(exec_value)
    arguments: list[str] = []
    current: list[str] | None = None
    index = 0
    while index < len(text):
        char = text[index]
        if char == " ":
            if current is not None:
                arguments.append("".join(current))
            current = None
        elif char == '"':
            current = current or []
            index += 1
            while text[index] != '"':
                if text[index] == "\\":
                    index += 1
                    assert text[index] in '"`$\\', f"{text[index]!r} may not be escaped in a quoted argument"
                current.append(text[index])
                index += 1
        else:
            assert char not in " \t\n\"'\\><~|&;$*?#()`", f"reserved {char!r} outside quotes in {text!r}"
            current = (current or []) + [char]
        index += 1
    if current is not None:
        arguments.append("".join(current))
    return [argument.replace("%%", "%") for argument in arguments]


# Paths a Python may live under: spaces, quotes, shell characters, non-ASCII, and the whitespace escapes.
PATH_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Cc"], include_characters=" \t\n\"'\\$`%~#&;*?()<>|"),
    min_size=1,
    max_size=30,
)


@settings(max_examples=200)
@given(PATH_TEXT)
def test_the_autostart_exec_line_reads_back_as_the_command(folder: str) -> None:
    """Quoted by the spec, with the string escapes on top: `$`, quotes, backquotes and backslashes once made the
    file unreadable (GLib: "invalid escape sequence"), so the app never started at login."""
    command = [f"/opt/{folder.replace('/', '_')}/python3", "-m", "renewaltracker"]
    with tempfile.TemporaryDirectory() as folder_for_entry:
        autostart = XdgAutostart(Path(folder_for_entry))
        autostart.enable(command)
        entry = autostart.path.read_text(encoding="utf-8")
    assert entry.count("\n") == 8, "one line per key: a line break in a path must not start another"
    exec_line = next(line for line in entry.splitlines() if line.startswith("Exec="))
    assert exec_arguments(exec_line.removeprefix("Exec=")) == ["env", f"{IN_TRAY_ENV}=1", *command]


@pytest.mark.parametrize(
    "folder", ["my apps", "zoë", "a\\b", "a$HOME", 'say "hi"', "it's", "a`id`", "100%", "tab\there", "new\nline"]
)
def test_an_autostart_entry_for_any_path_passes_desktop_file_validate(tmp_path: Path, folder: str) -> None:
    command = [f"/home/{folder}/python3", "-m", "renewaltracker"]
    autostart = XdgAutostart(tmp_path)
    autostart.enable(command)
    checked = subprocess.run([validator("desktop-file-validate"), str(autostart.path)], capture_output=True, text=True)
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout


@settings(max_examples=100)
@given(PATH_TEXT)
def test_the_menu_launcher_exec_line_reads_back_as_the_command(folder: str) -> None:
    """`install-desktop` quotes its Exec line the same way."""
    command = [f"/opt/{folder.replace('/', '_')}/python3", "-m", "renewaltracker"]
    text = launcher_text(command)
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert text.count("\n") == launcher_text(["python3"]).count("\n")
    assert exec_arguments(exec_line.removeprefix("Exec=")) == command


@settings(max_examples=100)
@given(PATH_TEXT)
def test_the_launch_agent_reads_back_with_plistlib(folder: str) -> None:
    """What `plutil -lint` checks on macOS: a well-formed property list with the command as written."""
    command = [f"/Users/{folder.replace('/', '_')}/python3", "-m", "renewaltracker"]
    with tempfile.TemporaryDirectory() as home:
        agent = LaunchAgent(Path(home))
        agent.enable(command)
        with agent.path.open("rb") as handle:
            loaded = plistlib.load(handle)
    assert loaded["ProgramArguments"] == command and loaded["Label"] == "org.renewaltracker.renewaltracker"


def windows_arguments(line: str) -> list[str]:
    """CommandLineToArgvW's rules for a line without quotes inside arguments: what Windows runs from the Run key."""
    arguments, current, quoted, started = [], "", False, False
    for char in line:
        if char == '"':
            quoted, started = not quoted, True
        elif char == " " and not quoted:
            if started:
                arguments.append(current)
            current, started = "", False
        else:
            current, started = current + char, True
    if started:
        arguments.append(current)
    return arguments


# Windows forbids " < > | ? * and control characters in file names; everything else may appear.
WINDOWS_FOLDER = st.text(
    alphabet=st.characters(exclude_categories=["Cs", "Cc"], exclude_characters='"<>|?*:/\\'), min_size=1, max_size=30
)


@settings(max_examples=100)
@given(WINDOWS_FOLDER)
def test_the_windows_run_value_reads_back_as_the_command(folder: str) -> None:
    registry = FakeRegistry()
    command = [f"C:\\Users\\{folder}\\AppData\\Local\\Programs\\Python\\pythonw.exe", "-m", "renewaltracker"]
    WindowsRunKey(registry).enable(command)
    assert windows_arguments(registry.values[(WINDOWS_RUN_KEY, "Renewal Tracker")]) == command


@pytest.mark.parametrize("kind", ["xdg", "launch agent"])
def test_a_failed_write_leaves_the_old_entry_as_it_was(tmp_path: Path, kind: str) -> None:
    """A full disk while the entry is rewritten (here: a file-size limit, which fails the write as a full disk
    does) leaves the previous entry whole, never a cut one that the desktop or launchd cannot read."""
    import resource
    import signal

    entry: XdgAutostart | LaunchAgent = XdgAutostart(tmp_path) if kind == "xdg" else LaunchAgent(tmp_path)
    entry.enable(["/opt/app/bin/renewaltracker"])
    before = entry.path.read_bytes()
    longer = ["/opt/" + "a" * 4000 + "/renewaltracker"]
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    ignored = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # else the kernel stops the process at the limit
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 100, hard))
    try:
        with pytest.raises(OSError):
            entry.enable(longer)
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, ignored)
    assert entry.path.read_bytes() == before
    assert [p.name for p in entry.path.parent.iterdir()] == [entry.path.name]  # no temporary file left behind
