"""Which file a path names: a connection's file may be replaced at its path by another program while it is open."""

from __future__ import annotations

from pathlib import Path

FileIdentity = tuple[int, int]


def file_identity(path: Path) -> FileIdentity | None:
    """The (device, inode) of the file at `path`, None when there is none: another file renamed there (a sync
    tool's download, a backup copied over by hand) has another one, while writes to the file itself keep it."""
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def moved_away(path: Path, opened: FileIdentity | None) -> bool:
    """Whether `path` no longer names the file a connection opened (`opened`; None: not known, never moved)."""
    return opened is not None and file_identity(path) != opened
