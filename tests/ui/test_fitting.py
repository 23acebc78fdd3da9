"""Fitting the renewals table's columns with the remembering delegate gives the widths the standard delegate gives."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication, QStyledItemDelegate

from renewaltracker.domain.subscription import Subscription
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.subscription_model import SubscriptionRecord, SubscriptionTableModel
from renewaltracker.ui.subscriptions_view import SubscriptionsView
from tests.factories import make_subscription

TODAY = date(2026, 3, 10)
NAMES = ["Netflix", "W", "Spotify Premium Individual", "iCloud+ 2 TB", "ñandú", "Ärzte-Zeitung", "gym", "东京"]


@st.composite
def subscriptions(draw: st.DrawFn) -> Subscription:
    return make_subscription(
        name=" ".join(draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3))),
        vendor=draw(st.sampled_from(["", "Acme", "A much longer vendor name"])),
        category=draw(st.sampled_from(["", "Streaming", "News & magazines"])),
        amount=Decimal(draw(st.integers(0, 10**8))) / 100,
        currency=draw(st.sampled_from(["USD", "EUR", "JPY", "CHF"])),
        interval=draw(st.sampled_from(["1 month", "4 weeks", "1 year", "3 months", "1 day"])),
        anchor=TODAY - timedelta(days=draw(st.integers(0, 900))),
        last_used=draw(st.none() | st.just(TODAY - timedelta(days=draw(st.integers(0, 400))))),
    )


def fitted(view: SubscriptionsView) -> tuple[list[int], int]:
    view.fit_columns()
    table = view.table
    return [table.columnWidth(column) for column in range(view.model.columnCount())], view.name_min


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(subscriptions(), min_size=1, max_size=260), st.integers(0, 40))
def test_remembered_hints_fit_the_columns_exactly_as_the_standard_delegate(
    qapp: QApplication, drawn: list[Subscription], scrolled: int
) -> None:
    model = SubscriptionTableModel(service=None, formatter=Formatter("en_US"))  # type: ignore[arg-type]
    model.set_records([SubscriptionRecord.of(s, TODAY) for s in drawn])
    views = [SubscriptionsView(model), SubscriptionsView(model)]
    views[1].table.setItemDelegate(QStyledItemDelegate(views[1].table))  # the reference: every cell asked
    for view in views:
        view.resize(900, 500)
        view.show()
        view.table.verticalScrollBar().setValue(scrolled)  # the rows on screen are measured first
    qapp.processEvents()
    try:
        assert fitted(views[0]) == fitted(views[1])
    finally:
        for view in views:
            view.close()
            view.deleteLater()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(subscriptions(), min_size=1, max_size=120))
def test_a_column_shown_later_is_fitted_as_the_standard_delegate_fits_it(
    qapp: QApplication, drawn: list[Subscription]
) -> None:
    model = SubscriptionTableModel(service=None, formatter=Formatter("en_US"))  # type: ignore[arg-type]
    model.set_records([SubscriptionRecord.of(s, TODAY) for s in drawn])
    model.loaded = True  # as after the worker's read
    views = [SubscriptionsView(model), SubscriptionsView(model)]
    views[1].table.setItemDelegate(QStyledItemDelegate(views[1].table))
    last_used, vendor = model.column("last_used"), model.column("vendor")
    widths = []
    for view in views:
        view.resize(700, 400)
        view.show()
        qapp.processEvents()
        view.first_columns()  # last used hidden, the others fitted
        view.table.setColumnWidth(last_used, 1)  # narrower than its header: showing it fits it again
        view.show_column(vendor, False)
        view.show_column(last_used, True)
        widths.append([view.table.columnWidth(column) for column in range(model.columnCount())])
    try:
        assert widths[0] == widths[1]
        assert widths[0][last_used] > views[0].table.horizontalHeader().sectionSizeHint(last_used)
    finally:
        for view in views:
            view.close()
            view.deleteLater()
