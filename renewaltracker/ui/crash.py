"""The window's last line of defence: an unexpected error is logged and shown once, with a copyable report."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Qt, Signal

from renewaltracker import APP_NAME, __version__
from renewaltracker.storage.errors import StorageError

if TYPE_CHECKING:  # the dialogs' classes load when one is shown, not before the window's first paint
    from PySide6.QtWidgets import QWidget

    from renewaltracker.ui.crash_dialog import CrashDialog

log = logging.getLogger(__name__)

# (summary, report): the default opens a CrashDialog; tests pass a recorder instead.
ShowReport = Callable[[str, str], None]
# One line for an error that is the environment's fault (busy, disk full…): no report, it is not a bug.
ShowProblem = Callable[[str], None]


def summary_of(error: BaseException) -> str:
    first_line = next(iter(str(error).splitlines()), "")
    return f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__


def build_report(exc_type: type[BaseException], error: BaseException, tb: TracebackType | None) -> str:
    """Versions and the traceback: what a bug report needs, and no data from the database."""
    import platform  # only for a report: not before the window's first paint

    header = [
        f"{APP_NAME} {__version__}",
        f"Python {platform.python_version()}, PySide6 {pyside_version}, {platform.platform()}",
        "",
    ]
    return "\n".join(header) + "".join(traceback.format_exception(exc_type, error, tb))


class CrashHandler(QObject):
    """Installed as sys.excepthook and threading.excepthook; errors from other threads reach the GUI thread queued."""

    _from_thread = Signal(object)  # an exc_info tuple (type, value, traceback)

    def __init__(
        self,
        parent_window: Callable[[], QWidget | None] = lambda: None,
        show_report: ShowReport | None = None,
        show_problem: ShowProblem | None = None,
    ) -> None:
        super().__init__()
        self.parent_window = parent_window
        self._show_report = show_report or self._open_dialog
        self._show_problem = show_problem or self._warn
        self.dialog: CrashDialog | None = None
        self._previous_hooks: tuple[object, object] | None = None
        self._from_thread.connect(lambda info: self.handle(*info), Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        self._previous_hooks = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if self._previous_hooks is not None:
            sys.excepthook, threading.excepthook = self._previous_hooks  # type: ignore[assignment]
            self._previous_hooks = None

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        self._from_thread.emit((args.exc_type, args.exc_value, args.exc_traceback))

    def handle(self, exc_type: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        """Log the error and show it: one line for the environment's fault, a report for a bug."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, error, tb)
            return
        try:
            if isinstance(error, StorageError):
                from renewaltracker.ui.formatting import first_upper

                log.warning("%s: %s", type(error).__name__, error)
                self._show_problem(first_upper(str(error)))  # a storage error's text starts lower case
                return
            log.error("unexpected error", exc_info=(exc_type, error, tb))
            self._show_report(summary_of(error), build_report(exc_type, error, tb))
        except Exception:  # showing failed too: stderr is all that is left, and it must not recurse
            sys.__excepthook__(exc_type, error, tb)

    def _open_dialog(self, summary: str, report: str) -> None:
        from renewaltracker.ui.crash_dialog import CrashDialog

        if self.dialog is not None and self.dialog.isVisible():
            return  # one dialog at a time: a failure repeated by a timer must not bury the window in dialogs
        self.dialog = CrashDialog(summary, report, self.parent_window())
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.dialog.show()

    def _warn(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        from renewaltracker.ui.plain_text import plain_box

        box = plain_box(QMessageBox.Icon.Warning, APP_NAME, message, self.parent_window())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
