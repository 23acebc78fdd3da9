"""Storage errors that are the environment's fault, not bugs: shown to the user in plain words."""


class StorageError(RuntimeError):
    """The database cannot be used: unreadable, locked, or written by a newer version."""
