"""Finds files in resources/: installed as `renewaltracker.resources`, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.abc import Traversable


def resource_root() -> Traversable:
    """The resources folder, wherever the app runs from."""
    here = Path(__file__).resolve().parent
    for folder in (here.parent / "resources", here / "resources"):  # a checkout; an installed package
        if folder.is_dir():
            return folder
    # Only a zipped install needs the importer (importlib.resources: 4 ms before the window's first paint).
    from importlib import resources

    return resources.files("renewaltracker.resources")


def resource(*parts: str) -> Traversable:
    """A file below resources/, e.g. resource("icons", "app.svg")."""
    node = resource_root()
    for part in parts:
        node = node / part
    return node
