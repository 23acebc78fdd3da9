"""Is there a display that answers? Checked before Qt, which aborts (SIGABRT) when its platform plugin cannot connect.

Plain Python, no Qt: the entry point asks before importing the window's modules. The problems are worded from
the catalogue only once there is one, in the language chosen then (`refusal`): a start that goes on reads no
catalogue here.
"""

from __future__ import annotations

import re
from _socket import AF_INET, AF_INET6, AF_UNIX, SOCK_STREAM
from _socket import socket as Socket
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

from renewaltracker.i18n import N_, _

X11_SOCKET_DIR = Path("/tmp/.X11-unix")
X11_TCP_BASE = 6000
TIMEOUT = 1.0  # seconds: a display that takes longer to accept a connection is as good as absent
HINT = N_("{problem}; use a command instead (see 'renewaltracker --help') or run it inside a desktop session")
# Platforms that need no display server: Qt draws into memory (tests, screenshots) or onto the console.
_HEADLESS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")
_DISPLAY = re.compile(r"^(?P<host>[^:]*?)(?P<colons>::?)(?P<number>\d+)(?:\.\d+)?$")


class Problem(NamedTuple):
    """Why a display cannot be used: a message of the catalogue and its values, worded by `text()` in the language
    installed then."""

    message: str
    values: Mapping[str, object]

    def text(self) -> str:
        return _(self.message).format(**self.values)


def _answers(family: int, address: str | tuple[str, int]) -> bool:
    # A socket of the C module alone: the `socket` package around it (selectors, enums) took 3 ms of every start.
    try:
        probe = Socket(family, SOCK_STREAM)
    except OSError:
        return False
    try:
        probe.settimeout(TIMEOUT)
        probe.connect(address)
    except OSError:
        return False
    finally:
        probe.close()
    return True


def _worded(problem: Problem | None) -> str | None:
    return None if problem is None else problem.text()


def x11_problem(display: str, socket_dir: Path = X11_SOCKET_DIR) -> str | None:
    """Why the X display `display` (e.g. ":0", "localhost:10.0") cannot be used, or None when it answers."""
    return _worded(_x11(display, socket_dir))


def _x11(display: str, socket_dir: Path = X11_SOCKET_DIR) -> Problem | None:
    match = _DISPLAY.match(display.strip())
    if match is None:
        return Problem(N_("DISPLAY={display} is not an X display name (like :0)"), {"display": repr(display)})
    host, number = match["host"], int(match["number"])
    if host in ("", "unix") and match["colons"] == ":":
        path = str(socket_dir / f"X{number}")
        # Linux servers also listen on an abstract socket of the same name; either one will do.
        if _answers(AF_UNIX, "\0" + path) or _answers(AF_UNIX, path):
            return None
        message = N_("the X display {display} does not answer (nothing is listening on {path})")
        return Problem(message, {"display": display, "path": path})
    port = X11_TCP_BASE + number
    if _answers(AF_INET6 if ":" in host else AF_INET, (host, port)):
        return None
    message = N_("the X display {display} does not answer (no connection to {host} port {port})")
    return Problem(message, {"display": display, "host": host, "port": port})


def wayland_problem(name: str, runtime_dir: str | None) -> str | None:
    """Why the Wayland display `name` cannot be used, or None when its socket answers."""
    return _worded(_wayland(name, runtime_dir))


def _wayland(name: str, runtime_dir: str | None) -> Problem | None:
    if Path(name).is_absolute():
        path = name
    elif runtime_dir:
        path = str(Path(runtime_dir) / name)
    else:
        message = N_("WAYLAND_DISPLAY={name} is set but XDG_RUNTIME_DIR is not, so its socket cannot be found")
        return Problem(message, {"name": name})
    if _answers(AF_UNIX, path):
        return None
    return Problem(
        N_("the Wayland display {name} does not answer (nothing is listening on {path})"), {"name": name, "path": path}
    )


def refusal(
    environ: Mapping[str, str], platform: str, choose_language: Callable[[], object] = lambda: None
) -> str | None:
    """The one line to print (and exit 2) instead of letting Qt abort, or None when the window can open.
    `choose_language` installs the user's interface language, called only when there is something to say."""
    problems = _problems(environ, platform)
    if problems is None:
        return None
    choose_language()
    return _("{prog}: error: {message}").format(
        prog="renewaltracker", message=_(HINT).format(problem=_joined(problems))
    )


def display_problem(environ: Mapping[str, str], platform: str) -> str | None:
    """One sentence saying why no window can be opened, or None when a display answers (or none is needed)."""
    problems = _problems(environ, platform)
    return None if problems is None else _joined(problems)


def _joined(problems: list[Problem]) -> str:
    text = problems[0].text()
    for problem in problems[1:]:
        text = _("{first}; {second}").format(first=text, second=problem.text())
    return text


def _problems(environ: Mapping[str, str], platform: str) -> list[Problem] | None:
    """Why no window can be opened (one reason per display tried), or None when a display answers."""
    if platform.startswith(("win", "darwin")):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if chosen.startswith(_HEADLESS):
        return None
    x11, wayland = environ.get("DISPLAY", ""), environ.get("WAYLAND_DISPLAY", "")
    if chosen == "xcb":
        wayland = ""
    elif chosen.startswith("wayland"):
        x11 = ""
    elif chosen:
        return None  # a platform this check does not know: let Qt try it
    if not x11 and not wayland:
        return [Problem(N_("no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset)"), {})]
    problems = []
    if wayland:
        problem = _wayland(wayland, environ.get("XDG_RUNTIME_DIR"))
        if problem is None:
            return None
        problems.append(problem)
    if x11:
        problem = _x11(x11)
        if problem is None:
            return None
        problems.append(problem)
    return problems
