"""Errors the CLI reports as one line on stderr with exit status 2."""


class UsageError(Exception):
    """The command line itself is wrong (unknown option, missing value, bad date)."""
