"""Is there a display that answers? Checked before Qt, which aborts (SIGABRT) when its platform plugin cannot connect.

Plain Python, no Qt: the entry point asks before importing the window's modules.
"""

from __future__ import annotations

import re
from _socket import AF_INET, AF_INET6, AF_UNIX, SOCK_STREAM
from _socket import socket as Socket
from collections.abc import Mapping
from pathlib import Path

X11_SOCKET_DIR = Path("/tmp/.X11-unix")
X11_TCP_BASE = 6000
TIMEOUT = 1.0  # seconds: a display that takes longer to accept a connection is as good as absent
HINT = "use a command instead (see 'renewaltracker --help') or run it inside a desktop session"
# Platforms that need no display server: Qt draws into memory (tests, screenshots) or onto the console.
_HEADLESS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")
_DISPLAY = re.compile(r"^(?P<host>[^:]*?)(?P<colons>::?)(?P<number>\d+)(?:\.\d+)?$")


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


def x11_problem(display: str, socket_dir: Path = X11_SOCKET_DIR) -> str | None:
    """Why the X display `display` (e.g. ":0", "localhost:10.0") cannot be used, or None when it answers."""
    match = _DISPLAY.match(display.strip())
    if match is None:
        return f"DISPLAY={display!r} is not an X display name (like :0)"
    host, number = match["host"], int(match["number"])
    if host in ("", "unix") and match["colons"] == ":":
        path = str(socket_dir / f"X{number}")
        # Linux servers also listen on an abstract socket of the same name; either one will do.
        if _answers(AF_UNIX, "\0" + path) or _answers(AF_UNIX, path):
            return None
        return f"the X display {display} does not answer (nothing is listening on {path})"
    if _answers(AF_INET6 if ":" in host else AF_INET, (host, X11_TCP_BASE + number)):
        return None
    return f"the X display {display} does not answer (no connection to {host} port {X11_TCP_BASE + number})"


def wayland_problem(name: str, runtime_dir: str | None) -> str | None:
    """Why the Wayland display `name` cannot be used, or None when its socket answers."""
    if Path(name).is_absolute():
        path = name
    elif runtime_dir:
        path = str(Path(runtime_dir) / name)
    else:
        return f"WAYLAND_DISPLAY={name} is set but XDG_RUNTIME_DIR is not, so its socket cannot be found"
    if _answers(AF_UNIX, path):
        return None
    return f"the Wayland display {name} does not answer (nothing is listening on {path})"


def refusal(environ: Mapping[str, str], platform: str) -> str | None:
    """The one line to print (and exit 2) instead of letting Qt abort, or None when the window can open."""
    problem = display_problem(environ, platform)
    return None if problem is None else f"renewaltracker: error: {problem}; {HINT}"


def display_problem(environ: Mapping[str, str], platform: str) -> str | None:
    """One sentence saying why no window can be opened, or None when a display answers (or none is needed)."""
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
        return "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset)"
    problems = []
    if wayland:
        problem = wayland_problem(wayland, environ.get("XDG_RUNTIME_DIR"))
        if problem is None:
            return None
        problems.append(problem)
    if x11:
        problem = x11_problem(x11)
        if problem is None:
            return None
        problems.append(problem)
    return "; ".join(problems)
