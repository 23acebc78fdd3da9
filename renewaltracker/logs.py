"""One rotating log file in the user's log directory; nothing secret is ever logged."""

from __future__ import annotations

import logging
import logging.handlers
import os
import traceback
from pathlib import Path
from typing import Any

from renewaltracker.storage.files import PRIVATE_FILE, private_folder
from renewaltracker.storage.paths import log_dir

LOG_ENV = "RENEWALTRACKER_LOG_DIR"
HANDLER_NAME = "renewaltracker-file"


class _NoDataFormatter(logging.Formatter):
    """Tracebacks with their kind and place only: an exception's message can quote the user's data
    (a value that failed to parse, a statement's parameters), and the log must not keep it."""

    def formatException(self, ei: Any) -> str:
        exc_type, _value, tb = ei
        frames = "".join(traceback.format_tb(tb))
        name = exc_type.__name__ if exc_type is not None else "Exception"
        return f"Traceback (most recent call last):\n{frames}{name} (its message is left out: it may hold your data)"


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Log files are 0600 whatever the umask: they name the user's subscriptions."""

    def _open(self) -> Any:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, PRIVATE_FILE)
        os.fchmod(descriptor, PRIVATE_FILE)
        return os.fdopen(descriptor, "a", encoding=self.encoding, errors=self.errors)


def setup_logging(level: int = logging.INFO) -> None:
    """Send log records to `renewaltracker.log` (1 MB × 3); failure to open it is not fatal."""
    root = logging.getLogger("renewaltracker")
    # Its own handler, not any handler: the tests attach one of theirs and still want the file set up.
    if any(handler.get_name() == HANDLER_NAME for handler in root.handlers):
        return
    root.setLevel(level)
    folder = Path(os.environ.get(LOG_ENV) or log_dir())
    try:
        private_folder(folder, own=True)
        handler: logging.Handler = _PrivateRotatingFileHandler(
            folder / "renewaltracker.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(_NoDataFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.propagate = False
