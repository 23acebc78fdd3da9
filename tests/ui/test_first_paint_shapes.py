"""A real start-up paints its first rows without Babel once an earlier start cached the format shapes, with the
same texts Babel gives; without the cache (or with a bad one) the rows still paint, formatted by Babel."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from renewaltracker.domain.interval import Interval, Unit
from tests.factories import make_subscription, saved
from tests.ui.child_probe import start_window

# Runs the real `main` offscreen; at "populated" records whether Babel was loaded and every text the table shows,
# and quits once every feature is attached and the shapes' worker has finished.
PROBE = """
import json, sys, threading
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from renewaltracker.ui import app
seen = {}
def window():
    return next(w for w in QApplication.topLevelWidgets() if w.objectName() == "MainWindow")
def mark(what):
    if what == "populated":
        model = window().model
        seen["babel"] = sorted(name for name in sys.modules if name.split(".")[0] in ("babel", "pytz"))
        seen["texts"] = [
            [model.index(row, column).data(Qt.ItemDataRole.DisplayRole) for column in range(model.columnCount())]
            for row in range(model.rowCount())
        ]
    if what == "ready":
        seen["ready"] = True
    if "ready" in seen and "texts" in seen:
        def done():
            if any(thread.name == "format shapes" for thread in threading.enumerate()):
                QTimer.singleShot(20, done)
            else:
                QApplication.instance().quit()
        done()
app._mark = mark
code = app.main(sys.argv[1:], lambda: None)
print(json.dumps({"code": code, **seen}))
"""


def start_up(db_path: Path, home: Path, locale: str = "en_US.UTF-8") -> dict[str, Any]:
    return start_window(PROBE, db_path, home, LANG=locale, LC_ALL=locale)


def collection(path: Path) -> None:
    """Rows in several currencies, with last-used dates, the 1st of a month and a year far off among them."""
    today = date.today()
    prices = [
        ("USD", "1234.5"),
        ("EUR", "9.99"),
        ("JPY", "2400"),
        ("GBP", "0.5"),
        ("INR", "123456.78"),
        ("BHD", "1.234"),
    ]
    saved(
        path,
        (
            make_subscription(
                name=f"Plan {n}",
                amount=Decimal(amount),
                currency=currency,
                interval=Interval(1 + n % 3, Unit.MONTH),
                anchor=today.replace(day=1) - timedelta(days=40 * n),
                last_used=today - timedelta(days=200 * n),
            )
            for n, (currency, amount) in enumerate(prices)
        ),
    )


def test_a_start_with_the_shapes_cached_paints_the_rows_without_babel(tmp_path: Path) -> None:
    db_path, home = tmp_path / "shapes.sqlite3", tmp_path / "home"
    collection(db_path)
    cache = home / "cache" / "renewaltracker" / "format-shapes.json"

    first = start_up(db_path, home)  # no cache yet: Babel formats, and a worker caches the shapes after start-up
    assert first["code"] == 0 and first["babel"] and len(first["texts"]) == 6
    assert cache.is_file()

    second = start_up(db_path, home)
    assert second["code"] == 0 and second["babel"] == []  # painted without Babel (or pytz under it)
    assert second["texts"] == first["texts"]  # to the character


def test_other_locales_paint_the_same_from_the_cache(tmp_path: Path) -> None:
    db_path, home = tmp_path / "shapes.sqlite3", tmp_path / "home"
    collection(db_path)
    for locale in ("de_DE.UTF-8", "hi_IN.UTF-8"):
        first = start_up(db_path, home, locale)
        second = start_up(db_path, home, locale)
        assert second["babel"] == [] and second["texts"] == first["texts"]


def test_a_bad_cache_file_still_paints_the_rows_with_babel(tmp_path: Path) -> None:
    db_path, home = tmp_path / "shapes.sqlite3", tmp_path / "home"
    collection(db_path)
    first = start_up(db_path, home)
    cache = home / "cache" / "renewaltracker" / "format-shapes.json"
    cache.write_bytes(cache.read_bytes()[:40])  # cut short, as by a full disk
    again = start_up(db_path, home)
    assert again["babel"] and again["texts"] == first["texts"]
    assert start_up(db_path, home)["babel"] == []  # the bad file was replaced after that start
