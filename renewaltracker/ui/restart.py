"""Starting the app again with its own command line, after this run has ended and let go of its locks."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

from renewaltracker.services.autostart import IN_TRAY_ENV

ExecCommand = Callable[[str, list[str], dict[str, str]], object]


class Restart:
    """Asked for in the window (`ask`, then the app quits as usual); `main` calls `run_if_asked` once the event
    loop has ended and the single-instance lock is released, so the new start takes the lock and the window.

    The new start is this very command line (`sys.orig_argv`: the interpreter's own options and `-m` too), so it
    opens the same file and migrates or refuses it in its own words. `exec_command` is `os.execve`; tests pass a
    fake.
    """

    def __init__(self, exec_command: ExecCommand = os.execve, environ: Mapping[str, str] = os.environ) -> None:
        self.exec_command = exec_command
        self.environ = environ
        self.asked = False

    def ask(self) -> None:
        self.asked = True

    def run_if_asked(self) -> None:
        """Replace this process with the new start (returns only when no restart was asked, or with a fake)."""
        if not self.asked:
            return
        # No atexit handler runs across an exec: what this run printed goes out now (log records are flushed as
        # they are written).
        sys.stdout.flush()
        sys.stderr.flush()
        # Asked for from the window: the new start shows it, even when this one began hidden in the tray at login.
        environment = {name: value for name, value in self.environ.items() if name != IN_TRAY_ENV}
        self.exec_command(sys.executable, list(sys.orig_argv), environment)
