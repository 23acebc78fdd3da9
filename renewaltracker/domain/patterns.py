"""Regular expressions compiled when first used: the window's first rows match none, so none is compiled at import."""

from __future__ import annotations

import re
from functools import cache


@cache
def compiled(source: str, flags: int = 0) -> re.Pattern[str]:
    """`re.compile(source, flags)`, once per process (re's own cache holds 512 and the statement reader fills it)."""
    return re.compile(source, flags)
