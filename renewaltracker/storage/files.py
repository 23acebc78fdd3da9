"""Every file the app writes: private to the user (0600, folders 0700) whatever the umask, and replaced atomically.

A write goes to a temporary file in the same folder, is flushed to the disk, then renamed over the target: a
full disk or a crash leaves the old file as it was, never a partial one.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def private_folder(folder: Path, *, own: bool = False) -> Path:
    """Create `folder` (0700) if missing; `own` also tightens an existing folder that is the app's own."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
        own = True
    if own:
        with contextlib.suppress(OSError):  # a folder of another user (shared setups) is left as it is
            folder.chmod(PRIVATE_FOLDER)
    return folder


def make_private(path: Path) -> None:
    """Tighten an existing file the app owns to 0600 (a database or log from an older version, another umask)."""
    with contextlib.suppress(OSError):
        if path.is_file() and stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE:
            path.chmod(PRIVATE_FILE)


def create_private(path: Path) -> None:
    """Create an empty file with mode 0600 if it does not exist, so a library that opens it later keeps the mode."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))


def write_private(path: Path, data: bytes, *, create_folder: bool = True) -> Path:
    """Replace `path` with `data` in one step, mode 0600; on any error the old file is untouched and OSError raised.

    `create_folder=False` for a path the user typed: a missing folder is then their typo, not ours to make.
    """
    path = path.expanduser()
    if create_folder:
        private_folder(path.parent)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)  # 0600
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).chmod(PRIVATE_FILE)
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise
    _sync_folder(path.parent)
    return path


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a power cut right after must not bring the old file back)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
