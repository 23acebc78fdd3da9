from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.i18n import _, install_language, ngettext
from renewaltracker.ui.formatting import Formatter, interface_locale


@pytest.mark.parametrize(
    ("locale", "money", "day"),
    [
        ("en_US", "$1,234.50", "Mar 5, 2026"),
        ("de_DE", "1.234,50\\xa0$", "05.03.2026"),
        ("C", "$1,234.50", "Mar 5, 2026"),
        ("xx_NOPE", "$1,234.50", "Mar 5, 2026"),
    ],
)
def test_money_and_dates_follow_the_locale(locale: str, money: str, day: str) -> None:
    formatter = Formatter(locale)
    assert formatter.money(Decimal("1234.50"), "USD") == money.encode().decode("unicode_escape")
    assert formatter.date(date(2026, 3, 5)) == day


def test_amounts_keep_their_currency_and_never_add_across_currencies() -> None:
    formatter = Formatter("en_US")
    assert formatter.money(Decimal("2400"), "JPY") == "¥2,400"
    assert formatter.totals({"USD": Decimal("5"), "EUR": Decimal("39")}) == "€39.00 + $5.00"
    assert formatter.totals({}) == "—"
    assert formatter.cycle(Interval(3, Unit.MONTH)) == "Every 3 months"
    assert [formatter.days_left(n) for n in (None, 0, 1, 9)] == ["", "today", "tomorrow", "9 days"]


@pytest.mark.parametrize(
    ("desktop", "language", "expected"),
    [
        ("en_US", "en", "en_US"),  # the desktop's own language: its locale as it is
        ("de_CH", "de", "de_CH"),
        ("en_CA", "fr", "fr_CA"),  # another language: the desktop's region when Babel knows the pair
        ("en_US", "fr", "fr"),  # … else the language's own formats
        ("C", "de", "de"),
        ("C", "en", "en_US"),
    ],
)
def test_the_window_formats_in_the_interface_language(desktop: str, language: str, expected: str) -> None:
    formatter = Formatter(interface_locale(desktop, language))
    assert formatter.locale == expected
    if language == "fr":
        assert "mars" in formatter.date(date(2026, 3, 3), "long")


@pytest.mark.parametrize(("locale", "shown"), [("en_US", "10.7 %"), ("de_DE", "10,7 %"), ("fr", "10,7 %")])
def test_a_price_change_in_percent_uses_the_locale_digits(locale: str, shown: str) -> None:
    assert Formatter(locale).percent(Decimal("10.7142")) == shown


def _cycle_as_before(interval: Interval) -> str:
    """`Formatter.cycle` as it was written before it looked up only the unit's own words."""
    count, unit = interval.count, interval.unit.value
    if count == 1:
        return {"day": _("Daily"), "week": _("Weekly"), "month": _("Monthly"), "year": _("Yearly")}[unit]
    every = {
        "day": ngettext("Every {count} day", "Every {count} days", count),
        "week": ngettext("Every {count} week", "Every {count} weeks", count),
        "month": ngettext("Every {count} month", "Every {count} months", count),
        "year": ngettext("Every {count} year", "Every {count} years", count),
    }[unit]
    return every.format(count=count)


@pytest.mark.parametrize("language", ["en", "de", "fr"])
def test_cycles_read_as_they_did_in_every_language(language: str) -> None:
    install_language(language)
    try:
        cycles = [Interval(count, unit) for unit in Unit for count in (1, 2, 3, 11, 21, 100)]
        assert [Formatter.cycle(interval) for interval in cycles] == [_cycle_as_before(i) for i in cycles]
        if language == "de":
            assert Formatter.cycle(Interval(1, Unit.MONTH)) != "Monthly"  # the catalogue was read
    finally:
        install_language("en")
