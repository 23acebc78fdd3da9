"""Finds files in resources/: installed as `renewaltracker.resources`, or beside the package in a checkout."""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path


def resource_root() -> Traversable:
    """The resources folder, wherever the app runs from."""
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    return resources.files("renewaltracker.resources")


def resource(*parts: str) -> Traversable:
    """A file below resources/, e.g. resource("icons", "app.svg")."""
    node = resource_root()
    for part in parts:
        node = node / part
    return node
