"""The spending overview: per month and per year per currency (your share), by category, as charts and numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.costs import is_running, monthly_cost, totals, totals_by_category
from renewaltracker.domain.money import quantize
from renewaltracker.domain.spending import (
    Ranked,
    Renewals,
    add_months,
    charges_by_month,
    months_start,
    most_expensive,
    nice_axis,
    renewals_between,
)
from renewaltracker.domain.subscription import Subscription
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.lazy import LazyView, scrolled
from renewaltracker.ui.table_model import Column, RecordTableModel
from renewaltracker.ui.widgets import table_view

BAR_COLOUR = QColor("#3b7ddd")


class CategoryCost(NamedTuple):
    category: str
    currency: str
    per_year: Decimal

    @property
    def per_month(self) -> Decimal:
        return quantize(self.per_year / 12, self.currency)


def fit_rows(view: QTableView) -> None:
    """Make the table as tall as its rows, so the page's one scroll bar reaches every row."""
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def fit(*_: object) -> None:
        rows = view.model().rowCount()
        height = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
        view.setFixedHeight(height + view.verticalHeader().defaultSectionSize() * max(rows, 1))

    model = view.model()
    for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
        signal.connect(fit)
    fit()


class SpendingView(LazyView):
    """Charts for one currency at a time (amounts in different currencies never add up); tables for all."""

    def __init__(
        self,
        formatter: Formatter,
        today: Callable[[], date],
        subscriptions: Callable[[], list[Subscription]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(formatter, today, subscriptions, parent)
        f = formatter
        self.totals_label = QLabel(self)
        self.totals_label.setAccessibleName("Totals per month and per year")
        self.totals_label.setWordWrap(True)
        self.currency_combo = QComboBox(self)
        self.currency_combo.setAccessibleName("Currency of the charts")
        self.currency_combo.currentIndexChanged.connect(self._draw_charts)

        self.months_chart = self._chart_view("Charges in the next 12 months (your share)")
        self.category_chart = self._chart_view("Per year by category (your share)")

        self.categories = RecordTableModel[CategoryCost](
            [
                Column("Category", lambda r: r.category),
                Column(
                    "Per month",
                    lambda r: f.money(r.per_month, r.currency),
                    sort_key=lambda r: (r.currency, r.per_year),
                    numeric=True,
                ),
                Column(
                    "Per year",
                    lambda r: f.money(r.per_year, r.currency),
                    sort_key=lambda r: (r.currency, r.per_year),
                    numeric=True,
                ),
            ],
            parent=self,
        )
        self.expensive = RecordTableModel[Ranked](
            [
                Column("Renewal", lambda r: r.subscription.name),
                # Ranked within each currency: amounts in different currencies do not compare.
                Column("Currency", lambda r: r.subscription.currency, sort_key=lambda r: (r.subscription.currency,)),
                Column(
                    "Per year",
                    lambda r: f.money(r.per_year, r.subscription.currency),
                    numeric=True,
                    sort_key=lambda r: (r.subscription.currency, r.per_year),
                ),
                Column(
                    "Per month",
                    lambda r: f.money(
                        quantize(monthly_cost(r.subscription), r.subscription.currency), r.subscription.currency
                    ),
                    numeric=True,
                    sort_key=lambda r: (r.subscription.currency, r.per_year),
                ),
            ],
            id_of=lambda r: r.subscription.id,
            parent=self,
        )
        self.renewals = RecordTableModel[Renewals](
            [
                Column("Renewal", lambda r: r.subscription.name),
                Column("Next", lambda r: f.date(r.dates[0]), sort_key=lambda r: r.dates[0]),
                Column("Charges", lambda r: str(len(r.dates)), sort_key=lambda r: len(r.dates), numeric=True),
                Column(
                    "Total (your share)",
                    lambda r: f.money(r.total, r.subscription.currency),
                    numeric=True,
                    sort_key=lambda r: (r.subscription.currency, r.total),
                ),
            ],
            id_of=lambda r: r.subscription.id,
            parent=self,
        )

        charts = QHBoxLayout()
        charts.addWidget(self.months_chart, 3)
        charts.addWidget(self.category_chart, 2)
        grid = QGridLayout()
        descending, ascending = Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder
        tables: tuple[tuple[str, RecordTableModel[Any], str, tuple[str, Qt.SortOrder]], ...] = (
            ("By category", self.categories, "category", ("per_year", descending)),
            ("Most expensive", self.expensive, "renewal", ("per_year", descending)),
            ("Renewing in the next 12 months", self.renewals, "renewal", ("next", ascending)),
        )
        for column, (title, model, stretch, sort) in enumerate(tables):
            box = QGroupBox(title, self)
            box_layout = QVBoxLayout(box)
            view = table_view(model, title, box, stretch=stretch, sort=sort)
            fit_rows(view)  # the page scrolls as a whole: no scrolling table inside it, no half rows
            box_layout.addWidget(view)
            box_layout.addStretch(1)  # a short table sits at the top of its box
            grid.addWidget(box, column // 2, column % 2, 1, 2 if column == 2 else 1)
        top = QHBoxLayout()
        top.addWidget(self.totals_label, 1)
        top.addWidget(QLabel("Charts in", self))
        top.addWidget(self.currency_combo)
        inner = QWidget(self)
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(top)
        inner_layout.addLayout(charts, 1)
        inner_layout.addLayout(grid, 1)
        scrolled(self, inner)

    def _chart_view(self, title: str) -> QChartView:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        view = QChartView(chart, self)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(260)
        view.setAccessibleName(title)
        return view

    def refresh(self) -> None:
        subscriptions = self._subscriptions()
        today = self._today()
        f = self.formatter
        cost = totals(subscriptions, today)
        self.totals_label.setText(
            f"Per month: <b>{f.totals(cost.per_month)}</b> &nbsp;·&nbsp; per year: <b>{f.totals(cost.per_year)}</b>"
            " <span>(your share of what is active or in trial)</span>"
        )
        by_category = totals_by_category(subscriptions, today)
        self.categories.set_records(
            [
                CategoryCost(category, code, value)
                for category, per in by_category.items()
                for code, value in per.items()
            ]
        )
        self.expensive.set_records(most_expensive(subscriptions, today))
        running = [s for s in subscriptions if is_running(s, today)]
        self.renewals.set_records(renewals_between(running, today, add_months(today, 12) - timedelta(days=1)))
        chosen = self.currency_combo.currentText()
        # The currency most renewals are billed in comes first: usually the user's own.
        counts = Counter(s.currency for s in running)
        codes = sorted(cost.per_year, key=lambda code: (-counts[code], code))
        self.currency_combo.blockSignals(True)
        self.currency_combo.clear()
        self.currency_combo.addItems(codes)
        if chosen in codes:
            self.currency_combo.setCurrentText(chosen)
        self.currency_combo.blockSignals(False)
        # On a month's last day with nothing left to charge, the year starts next month (no empty first bar).
        self._first_month = add_months(months_start(running, today), 0)
        self._months = charges_by_month(running, months_start(running, today), 12)
        self._by_category = by_category
        self._draw_charts()

    def _draw_charts(self) -> None:
        code = self.currency_combo.currentText()
        if not hasattr(self, "_months"):
            return
        first = self._first_month
        labels = [self.formatter.date(add_months(first, i), "MMM") for i in range(len(self._months))]
        values = [self._months[i].get(code, Decimal(0)) for i in range(len(self._months))]
        self._fill(self.months_chart.chart(), QBarSeries(), labels, values, code, horizontal=False)
        categories = sorted(
            ((name, per[code]) for name, per in self._by_category.items() if code in per), key=lambda item: item[1]
        )
        self._fill(
            self.category_chart.chart(),
            QHorizontalBarSeries(),
            [c[0] for c in categories],
            [c[1] for c in categories],
            code,
            horizontal=True,
        )

    def _fill(
        self,
        chart: QChart,
        series: QBarSeries | QHorizontalBarSeries,
        labels: list[str],
        values: list[Decimal],
        code: str,
        *,
        horizontal: bool,
    ) -> None:
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        text_colour = self.palette().color(QPalette.ColorRole.Text)
        chart.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Base))
        chart.setTitleBrush(text_colour)
        bars = QBarSet(code)
        bars.setColor(BAR_COLOUR)
        # Charts draw with floats; the exact Decimal figures are in the tables beside them.
        bars.append([float(value) for value in values])
        series.append(bars)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append(labels)
        amounts = QValueAxis()
        amounts.setLabelFormat("%.0f")
        amounts.setTitleText(code)
        amounts.setMin(0)
        top, ticks = nice_axis(max((float(v) for v in values), default=0.0))
        amounts.setMax(top)
        amounts.setTickCount(ticks)
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        grid_colour = self.palette().color(QPalette.ColorRole.Mid)
        for axis in (names, amounts):
            axis.setGridLineColor(grid_colour)
            axis.setLabelsFont(small)
            axis.setLabelsBrush(text_colour)
            axis.setTitleBrush(text_colour)
        chart.addAxis(names, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(names)
        series.attachAxis(amounts)
