"""A formatter with cached format shapes writes exactly what one with Babel alone writes; it builds without Babel,
and it caches the shapes of what it formatted on a worker."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from babel.numbers import list_currencies
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QLocale

from renewaltracker.domain.format_shapes import FormatShapes, shapes_of
from renewaltracker.i18n import current_language
from renewaltracker.services.format_cache import cache_path, entry_key, load_shapes, save_shapes
from renewaltracker.ui.formatting import Formatter, interface_locale
from tests.domain.test_format_shapes import AMOUNTS, DAYS, LOCALES

# The desktop locales above, "C" (en_US's formats) and an interface language other than the desktop's.
DESKTOPS = st.sampled_from([(locale, locale.split("_")[0]) for locale in LOCALES] + [("C", "en"), ("en_US", "fr")])
CURRENCIES = sorted(list_currencies())


@cache
def desktop_shapes(desktop: str, language: str) -> FormatShapes:
    """The shapes of that desktop for a handful of currencies (others go to Babel), built once per desktop."""
    return shapes_of(Formatter(interface_locale(desktop, language)).locale, {"USD", "EUR", "JPY", "INR", "BHD", "CHF"})


def shaped(desktop: str, language: str) -> Formatter:
    """A fresh formatter (nothing remembered) with those shapes."""
    shapes = desktop_shapes(desktop, language)
    return Formatter(shapes.locale, shapes)


@given(
    desktop=DESKTOPS,
    amount=AMOUNTS,
    currency=st.one_of(st.sampled_from(["USD", "EUR", "JPY", "INR", "BHD", "CHF"]), st.sampled_from(CURRENCIES)),
    day=st.none() | DAYS,
    style=st.sampled_from(["medium", "medium", "short", "long"]),
)
def test_the_shapes_write_what_babel_writes(
    desktop: tuple[str, str], amount: Decimal, currency: str, day: date | None, style: str
) -> None:
    babel_only, with_shapes = Formatter(interface_locale(*desktop)), shaped(*desktop)
    assert with_shapes.locale == babel_only.locale
    assert with_shapes.date(day, style) == babel_only.date(day, style)
    try:
        expected = babel_only.money(amount, currency)
    # Beyond Decimal's precision Babel raises, and a signalling NaN cannot be remembered: so does the shaped one.
    except (ArithmeticError, TypeError) as error:
        with pytest.raises(type(error)):
            with_shapes.money(amount, currency)
        return
    assert with_shapes.money(amount, currency) == expected


def test_shapes_of_another_locale_are_not_used() -> None:
    german = shapes_of("de_DE", {"USD"})
    assert Formatter("en_US", german).money(Decimal("1234.5"), "USD") == "$1,234.50"


def test_building_a_formatter_imports_no_babel(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from renewaltracker.ui.formatting import Formatter\n"
        "Formatter('de_DE'); Formatter.system()\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] in ('babel', 'pytz')))\n"
    )
    env = {"HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60, env=env
    )
    assert result.stdout.strip() == "[]"


def test_the_system_formatter_takes_the_cached_shapes_and_keeps_new_ones() -> None:
    key = entry_key(QLocale.system().name(), current_language())
    first = Formatter.system()
    assert first.cache_key == key and load_shapes(key) is None  # nothing cached yet: Babel
    day = date(2026, 3, 5)
    texts = (first.money(Decimal("12.5"), "EUR"), first.money(Decimal("-3"), "JPY"), first.date(day))
    worker = first.keep_shapes(["GBP"])
    assert isinstance(worker, threading.Thread) and worker is not threading.current_thread()
    worker.join(30)
    cached = load_shapes(key)
    assert cached is not None and set(cached.money) == {"EUR", "JPY", "GBP"} and cached.locale == first.locale
    second = Formatter.system()
    assert second.keep_shapes(["EUR"]) is None  # every currency asked for is cached already
    assert (second.money(Decimal("12.5"), "EUR"), second.money(Decimal("-3"), "JPY"), second.date(day)) == texts
    assert cache_path().is_file()


def test_a_formatter_not_of_the_system_caches_nothing() -> None:
    assert Formatter("de_DE").keep_shapes(["EUR"]) is None


def test_a_failing_refresh_is_only_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    formatter = Formatter.system()
    monkeypatch.setattr("renewaltracker.services.format_cache.refresh_shapes", _fail)
    worker = formatter.keep_shapes(["EUR"])
    assert worker is not None
    worker.join(30)
    assert load_shapes(formatter.cache_key or "") is None


def test_a_shaped_formatter_still_caches_a_currency_it_lacked() -> None:
    key = entry_key(QLocale.system().name(), current_language())
    locale = Formatter.system().locale
    save_shapes(key, shapes_of(locale, {"USD"}))
    formatter = Formatter.system()
    formatter.money(Decimal("1"), "SEK")
    worker = formatter.keep_shapes()
    assert worker is not None
    worker.join(30)
    cached = load_shapes(key)
    assert cached is not None and set(cached.money) == {"USD", "SEK"}


def _fail(*_args: object) -> bool:
    raise RuntimeError("no Babel today")
