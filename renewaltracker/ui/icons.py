"""The app's SVG icons from resources/icons (SVG stays sharp on HiDPI screens)."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from renewaltracker.assets import resource


@cache
def icon(name: str) -> QIcon:
    """The icon resources/icons/NAME.svg; an empty icon when the file is missing."""
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()
