"""The interop tools' set-up: what it installs as root, as an ordinary user, and what it says when it cannot."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pytest

from tests.interop import provision as module
from tests.interop.provision import TOOLS, provision


class Machine:
    """A fresh machine: no client until its install command has run; records every command."""

    def __init__(self, *, installs: bool) -> None:
        self.installs = installs
        self.commands: list[list[str]] = []
        self.installed: set[str] = set()

    def run(self, command: Sequence[str]) -> str | None:
        self.commands.append(list(command))
        if not self.installs:
            return "E: Unable to locate package"
        words = " ".join(command)
        for tool in TOOLS:
            if any(f" {package}" in words for package in tool.apt) or tool.client.split()[0].lower() in words:
                self.installed.add(tool.client)
        return None

    def where(self, client: str) -> str | None:
        return "here" if client in self.installed else None


@pytest.fixture
def machine(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> Machine:
    fresh = Machine(installs=getattr(request, "param", True))
    tools = tuple(replace(tool, where=lambda name=tool.client: fresh.where(name)) for tool in TOOLS)
    monkeypatch.setattr(module, "TOOLS", tools)
    return fresh


def test_as_root_on_debian_everything_is_installed(machine: Machine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert provision(machine.run, apt_allowed=lambda: True) == []
    installs = [c for c in machine.commands if c[:2] == ["apt-get", "install"]]
    assert installs and {"calcurse", "libical-dev", "pkg-config", "gnumeric"} <= set(installs[0])
    assert any(c[-3:] == ["install", "-q", "khal"] for c in machine.commands)
    assert {c[-1] for c in machine.commands if c[0] == "npm"} == {"ical.js", "postal-mime"}


def test_an_ordinary_user_gets_khal_and_the_apt_command_to_run(
    machine: Machine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module.shutil, "which", lambda name: None if name == "npm" else f"/usr/bin/{name}")
    missing = provision(machine.run, apt_allowed=lambda: False)
    assert not any(c[0] == "apt-get" for c in machine.commands), "never apt-get without root"
    assert missing == [
        "calcurse: sudo apt-get install calcurse (or set INTEROP_CALCURSE)",
        "ical.js (Thunderbird): install Node.js with npm, then: npm install --prefix .interop-node ical.js"
        " (or set INTEROP_ICALJS)",
        "postal-mime (mail reader): install Node.js with npm, then: npm install --prefix .interop-node postal-mime"
        " (or set INTEROP_POSTALMIME)",
        "libical (Evolution): sudo apt-get install libical-dev pkg-config gcc",
        "Gnumeric: sudo apt-get install gnumeric (or set INTEROP_SSCONVERT)",
    ]


@pytest.mark.parametrize("machine", [False], indirect=True)
def test_a_failed_install_says_why_next_to_the_command(machine: Machine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(module.shutil, "which", lambda name: f"/usr/bin/{name}")
    missing = provision(machine.run, apt_allowed=lambda: True)
    assert len(missing) == len(TOOLS)
    assert all(line.endswith("[tried: E: Unable to locate package]") for line in missing)
