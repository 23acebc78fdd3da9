"""One running copy per database: a lock file decides, a local socket asks the running copy to show itself.

The lock is QtCore's; QtNetwork (the socket) is imported only to listen, which the window does after its first
paint, or to ask a running copy to show itself.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCryptographicHash, QLockFile, QObject, Signal

from renewaltracker.i18n import _

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

log = logging.getLogger(__name__)
SHOW_MESSAGE = b"show\n"
CONNECT_TIMEOUT_MS = 500
CONNECT_ATTEMPTS = 6
# The holder takes the lock before its first paint and listens only after it: a copy started in between finds no
# socket at once, so it waits this long before trying again (CONNECT_ATTEMPTS times in all).
RETRY_PAUSE_MS = 500


def user_name() -> str:
    """`getpass.getuser()`, without importing `getpass` (and `termios`) before the window's first paint."""
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        user = os.environ.get(variable)
        if user:
            return user
    import pwd  # as getpass does: where there is no pwd (Windows), one of the variables is set

    return pwd.getpwuid(os.getuid())[0]


def instance_name(db_path: Path) -> str:
    """A socket name per user and database, short enough for every platform's limits."""
    # Qt's SHA-256, not hashlib's: that loads OpenSSL's libcrypto (3.6 MB of the tray at login) for one name.
    text = f"{user_name()}\0{db_path.expanduser().resolve()}".encode()
    digest = bytes(QCryptographicHash.hash(text, QCryptographicHash.Algorithm.Sha256).toHex().data()).decode()
    return f"renewaltracker-{digest[:20]}"


class LockUnavailable(RuntimeError):
    """The lock file cannot be written where the database lives; the message names the folder."""


class SingleInstance(QObject):
    """`acquire()` is True for the first copy; later copies ask it to show its window and get False."""

    show_requested = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = instance_name(db_path)
        self.lock = QLockFile(str(db_path.expanduser().with_name(db_path.name + ".lock")))
        # A live holder keeps the lock however long it runs; a dead one's lock is taken over (pid check).
        self.lock.setStaleLockTime(0)
        self.server: QLocalServer | None = None

    def acquire(self) -> bool:
        """Take the lock first, so two copies starting together cannot both become the server."""
        if self.take_lock():
            self.listen()
            return True
        self.ask_running_copy_to_show()
        return False

    def take_lock(self) -> bool:
        """True for the first copy, which must `listen` soon; QtCore only. Raises LockUnavailable, naming the folder,
        when the lock cannot be written there at all (a read-only folder, a file in its place)."""
        folder = Path(self.lock.fileName()).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise LockUnavailable(
                _("cannot create the folder {parent}: {strerror}").format(parent=folder, strerror=error.strerror)
            ) from error
        if self.lock.tryLock(100):
            return True
        # Only a lock another process holds means a running copy; otherwise the start would end without a word.
        if self.lock.error() is not QLockFile.LockError.LockFailedError:
            raise LockUnavailable(
                _("cannot write in the folder {folder}: check that you may write there").format(folder=folder)
            )
        return False

    def listen(self) -> None:
        """Answer later copies' requests to show the window (once; the lock must be held)."""
        if self.server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        QLocalServer.removeServer(self.name)  # a socket file left by a crash
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            log.warning("cannot listen on %s: %s", self.name, server.errorString())
            return
        server.newConnection.connect(self._connection)
        self.server = server

    def _connection(self) -> None:
        assert self.server is not None
        while (socket := self.server.nextPendingConnection()) is not None:
            # The other copy writes one short line right after connecting: a brief wait, and only then.
            arrived = socket.bytesAvailable() > 0 or socket.waitForReadyRead(CONNECT_TIMEOUT_MS)
            if arrived and bytes(socket.readAll().data()).startswith(SHOW_MESSAGE.strip()):
                self.show_requested.emit()
            socket.disconnectFromServer()
            socket.deleteLater()

    def ask_running_copy_to_show(self) -> bool:
        """The holder may have just taken the lock and not be listening yet: try a few times."""
        from PySide6.QtCore import QThread
        from PySide6.QtNetwork import QLocalSocket

        for attempt in range(CONNECT_ATTEMPTS):
            if attempt:
                QThread.msleep(RETRY_PAUSE_MS)
            socket = QLocalSocket()
            socket.connectToServer(self.name)
            if socket.waitForConnected(CONNECT_TIMEOUT_MS):
                socket.write(SHOW_MESSAGE)
                socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
                socket.disconnectFromServer()
                return True
        log.warning("another copy holds the lock but does not answer on %s", self.name)
        return False

    def release(self) -> None:
        if self.server is not None:
            self.server.close()
        self.lock.unlock()
