"""Spending's "All in <home>" charts agree with the figures: a currency without a rate is left out and named, never
drawn as if its plans cost nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCharts import QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from renewaltracker.domain.costs import is_running
from renewaltracker.domain.exchange import Rate, RateTable
from renewaltracker.domain.spending import charges_by_month, months_start
from renewaltracker.domain.subscription import Subscription
from renewaltracker.ui.spending_view import SpendingView, spending_figures
from tests.factories import make_subscription
from tests.ui.waiting import spending_shown

TODAY = date(2026, 3, 10)
HOME = "USD"
# Each rate the example may know; USD needs none.
RATES = {
    "EUR": Rate("EUR", "USD", date(2026, 3, 9), "1.10"),
    "GBP": Rate("GBP", "USD", date(2026, 3, 9), "1.27"),
    "JPY": Rate("USD", "JPY", date(2026, 3, 9), "149.5"),
}
CURRENCIES = ["USD", "EUR", "GBP", "JPY", "CHF"]  # no rate for CHF ever


def _bars(view: QChartView) -> list[float] | None:
    """The bar values the chart draws, or None when it draws no bars at all."""
    series = view.chart().series()
    if not series:
        return None
    bars = series[0].barSets()[0]  # type: ignore[attr-defined]
    return [bars.at(i) for i in range(bars.count())]


def _labels(view: QChartView) -> list[str]:
    axes = [a for a in view.chart().axes() if not isinstance(a, QValueAxis)]
    return list(axes[0].categories()) if axes else []  # type: ignore[attr-defined]


def _shown(subscriptions: list[Subscription], table: RateTable) -> SpendingView:
    view = spending_shown(subscriptions, TODAY, HOME, table)
    view.currency_combo.setCurrentIndex(0)  # "All in USD"
    assert view.currency_combo.currentText() == "All in USD"
    return view


@given(
    st.lists(
        st.tuples(
            st.sampled_from(CURRENCIES),
            st.sampled_from(["1 month", "3 months", "1 year"]),
            st.dates(date(2025, 6, 1), date(2026, 12, 31)),
            st.integers(1, 50_000).map(lambda cents: Decimal(cents) / 100),
            st.sampled_from(["Music", "Health", "News"]),
        ),
        min_size=1,
        max_size=6,
    ),
    st.sets(st.sampled_from(sorted(RATES))),
)
def test_home_charts_draw_exactly_the_convertible_plans_and_name_the_others(
    qapp: QApplication, plans: list[tuple[str, str, date, Decimal, str]], known: set[str]
) -> None:
    subscriptions = [
        make_subscription(
            id=number,
            name=f"Plan {number}",
            currency=currency,
            interval=every,
            anchor=anchor,
            amount=amount if currency != "JPY" else amount.to_integral_value() or Decimal(1),
            category=category,
        )
        for number, (currency, every, anchor, amount, category) in enumerate(plans, start=1)
    ]
    table = RateTable(RATES[code] for code in sorted(known))
    convertible = [s for s in subscriptions if table.rate(s.currency, HOME, TODAY) is not None]
    view = _shown(subscriptions, table)
    figures = spending_figures(subscriptions, {}, TODAY, HOME, table, None)
    in_data = {code for month in figures.months for code in month} | {
        code for per in figures.by_category.values() for code in per
    }
    left_out = sorted(code for code in in_data if table.rate(code, HOME, TODAY) is None)
    if left_out and not [s for s in convertible if s.currency in in_data]:
        # Nothing could be converted: no bars at all, rather than twelve zero bars that read as "costs nothing".
        assert _bars(view.months_chart) is None and _bars(view.category_chart) is None
    else:
        # Month by month: the charges of exactly the plans with a rate, converted.
        months = charges_by_month(convertible, months_start(subscriptions, TODAY), 12)
        expected = [float(table.total(month, HOME, TODAY)[0].amount) for month in months]
        assert _bars(view.months_chart) == expected
        # Per category: only categories with a running plan that converts; a category of unknowns is not a zero bar.
        drawn = dict(zip(_labels(view.category_chart), _bars(view.category_chart) or [], strict=True))
        running = [s for s in convertible if is_running(s, TODAY)]
        assert set(drawn) == {s.category for s in running}
        for value in drawn.values():
            assert value > 0
        # The amounts axis says what they are: home-currency amounts, without the left-out currencies.
        axis = view.months_chart.chart().axes(Qt.Orientation.Vertical)
        assert axis and HOME in axis[0].titleText() and all(code in axis[0].titleText() for code in left_out)
    # Said under the charts and in their accessible text, which currencies are not in them.
    note = view.charts_note
    if left_out:
        assert not note.isHidden() and all(code in note.text() for code in left_out), note.text()
        for chart in (view.months_chart, view.category_chart):
            assert all(code in chart.accessibleDescription() for code in left_out)
    else:
        assert note.isHidden()
