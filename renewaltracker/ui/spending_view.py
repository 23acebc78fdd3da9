"""The spending overview: per month and per year per currency (your share), by category, as charts and numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import date
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
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
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

from renewaltracker.domain.costs import CostTotals, is_running, totals, totals_by_category
from renewaltracker.domain.exchange import (
    Converted,
    RankedIn,
    RateTable,
    charts_in,
    most_expensive_in,
    nothing_converted,
)
from renewaltracker.domain.money import quantize
from renewaltracker.domain.prices import PriceHistories
from renewaltracker.domain.savings import Ledger, Saving, SavingKind
from renewaltracker.domain.spending import (
    Ranked,
    Renewals,
    add_months,
    charges_by_month,
    months_start,
    most_expensive,
    nice_axis,
    renewals_between,
    year_ahead_end,
)
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import N_, _
from renewaltracker.ui.background import LatestOnly
from renewaltracker.ui.formatting import Formatter, converted_text
from renewaltracker.ui.lazy import LazyView, scrolled
from renewaltracker.ui.table_model import Column, RecordTableModel
from renewaltracker.ui.widgets import table_view

BAR_COLOUR = QColor("#3b7ddd")
CHART_HEIGHT = 260
# Above and below a chart's bars: its title, the amounts axis with its title, and the margins.
CHART_FRAME = 110
CATEGORY_PADDING = 8
# Beside its text a label needs this much of its slot, or QtCharts cuts it ("Se…" for "Sept.").
MONTH_LABEL_ROOM = 14
Base, Text, Mid = QPalette.ColorRole.Base, QPalette.ColorRole.Text, QPalette.ColorRole.Mid
# The chart choice that converts every currency into the home currency.
ALL_IN = N_("All in ")


def _converted(formatter: Formatter, converted: Converted | None) -> str:
    return converted_text(formatter, converted) if converted is not None else _("no rate")


def _rank_key(r: Ranked | RankedIn) -> tuple[Any, ...]:
    """Per currency without a home currency; with one, by the converted figure (those without a rate last)."""
    if isinstance(r, RankedIn):
        return (1, r.converted.amount) if r.converted is not None else (0, r.per_year)
    return (r.subscription.currency, r.per_year)


class CategoryCost(NamedTuple):
    category: str
    currency: str
    per_year: Decimal

    @property
    def per_month(self) -> Decimal:
        return quantize(self.per_year / 12, self.currency)


# A table on the page shows at most this many rows and scrolls itself past that: sized to a thousand rows, it
# laid out and formatted every cell of them on each refresh (a GUI-thread stall of most of 0.1 s).
FIT_MOST_ROWS = 20


def fit_rows(view: QTableView, most: int = FIT_MOST_ROWS) -> None:
    """Make the table as tall as its rows, up to `most` (then it scrolls), so short tables need no scroll bar."""
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Column widths from the rows on screen only: the page's tables are short, or scroll by themselves.
    view.horizontalHeader().setResizeContentsPrecision(0)

    def fit(*_: object) -> None:
        rows = min(view.model().rowCount(), most)
        height = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
        view.setFixedHeight(height + view.verticalHeader().defaultSectionSize() * max(rows, 1))

    model = view.model()
    for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
        signal.connect(fit)
    fit()


class SpendingFigures(NamedTuple):
    """Everything the page shows, worked out away from the GUI thread."""

    today: date
    cost: CostTotals
    by_category: dict[str, dict[str, Decimal]]
    expensive: list[Ranked] | list[RankedIn]
    renewals: list[Renewals]
    codes: list[str]  # the charts' currencies, the one most renewals are billed in first
    first_month: date
    months: list[dict[str, Decimal]]
    ledger: Ledger
    home: str
    table: RateTable


def spending_figures(
    subscriptions: list[Subscription],
    prices: PriceHistories,
    today: date,
    home: str,
    table: RateTable,
    savings: Callable[[], Ledger] | None,
) -> SpendingFigures:
    """The page's figures from a snapshot of the subscriptions (no Qt: it runs on a worker thread)."""
    cost = totals(subscriptions, today, prices=prices)
    if home:
        # One ranking across currencies, compared in the home currency (not per currency).
        expensive: list[Ranked] | list[RankedIn] = most_expensive_in(subscriptions, today, table, home, prices=prices)
    else:
        expensive = most_expensive(subscriptions, today, prices=prices)
    running = [s for s in subscriptions if is_running(s, today)]
    # The currency most renewals are billed in comes first: usually the user's own.
    counts = Counter(s.currency for s in running)
    # Charges to come from every plan: its schedule stops at a cancellation's effective date, a pause or an end,
    # so a plan cancelled from next month still has this month's charge, as Upcoming and the calendar show.
    # On a month's last day with nothing left to charge, the year starts next month (no empty first bar).
    start = months_start(subscriptions, today)
    months = charges_by_month(subscriptions, start, 12, prices)
    charged = {code for month in months for code in month}
    return SpendingFigures(
        today=today,
        cost=cost,
        by_category=totals_by_category(subscriptions, today, prices),
        expensive=expensive,
        renewals=renewals_between(subscriptions, today, year_ahead_end(today), prices),
        codes=sorted(charged.union(cost.per_year), key=lambda code: (-counts[code], code)),
        first_month=add_months(start, 0),
        months=months,
        ledger=savings() if savings is not None else Ledger([]),
        home=home,
        table=table,
    )


class SpendingView(LazyView):
    """Charts for one currency at a time (amounts in different currencies never add up); tables for all."""

    def __init__(
        self,
        formatter: Formatter,
        today: Callable[[], date],
        subscriptions: Callable[[], list[Subscription]],
        parent: QWidget | None = None,
        savings: Callable[[], Ledger] | None = None,
    ) -> None:
        super().__init__(formatter, today, subscriptions, parent)
        f = formatter
        # (home currency, rates) when the user chose one; set by the household feature.
        self.conversion: Callable[[], tuple[str, RateTable]] | None = None
        self._home = ""
        self._savings = savings
        self.savings_label = QLabel(self)
        self.savings_label.setAccessibleName(_("Money recovered and renewals avoided"))
        self.savings_label.setWordWrap(True)
        self.savings = RecordTableModel[Saving](
            [
                Column(N_("Date"), lambda r: f.date(r.day), sort_key=lambda r: r.day),
                Column(N_("Kind"), lambda r: _("Recovered") if r.kind is SavingKind.RECOVERED else _("Avoided")),
                Column(N_("Renewal"), lambda r: r.name),
                Column(
                    N_("Amount"),
                    lambda r: f.money(r.amount, r.currency),
                    numeric=True,
                    sort_key=lambda r: (r.currency, r.amount),
                ),
                Column(N_("What"), lambda r: r.what),
            ],
            id_of=lambda r: r.subscription_id,
            parent=self,
        )
        self.totals_label = QLabel(self)
        self.totals_label.setAccessibleName(_("Totals per month and per year"))
        self.totals_label.setWordWrap(True)
        self.currency_combo = QComboBox(self)
        self.currency_combo.setAccessibleName(_("Currency of the charts"))
        # Its items come after the first show ("All in USD" among them): sized once, it cut them off.
        self.currency_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currency_combo.currentIndexChanged.connect(self._draw_charts)
        self.charts_in_label = QLabel(_("Charts in"), self)

        self.months_chart = self._chart_view(_("Charges in the next 12 months (your share)"))
        self.months_chart.chart().plotAreaChanged.connect(self._fit_month_labels)
        self.category_chart = self._chart_view(_("Per year by category (your share)"))
        # Which currencies the "All in" charts leave out for want of a rate: a bar never stands for an unknown.
        self.charts_note = QLabel(self)
        self.charts_note.setAccessibleName(_("Currencies not in the charts"))
        self.charts_note.setWordWrap(True)
        self.charts_note.hide()

        self.categories = RecordTableModel[CategoryCost](
            [
                Column(N_("Category"), lambda r: r.category),
                Column(
                    N_("Per month"),
                    lambda r: f.money(r.per_month, r.currency),
                    sort_key=lambda r: (r.currency, r.per_year),
                    numeric=True,
                ),
                Column(
                    N_("Per year"),
                    lambda r: f.money(r.per_year, r.currency),
                    sort_key=lambda r: (r.currency, r.per_year),
                    numeric=True,
                ),
            ],
            parent=self,
        )
        self.expensive = RecordTableModel[Ranked | RankedIn](
            [
                Column(N_("Renewal"), lambda r: r.subscription.name),
                # Ranked within each currency: amounts in different currencies do not compare.
                Column(
                    N_("Currency"), lambda r: r.subscription.currency, sort_key=lambda r: (r.subscription.currency,)
                ),
                Column(
                    N_("Per year"),
                    lambda r: f.money(r.per_year, r.subscription.currency),
                    numeric=True,
                    sort_key=_rank_key,
                ),
                Column(
                    N_("In home currency"),
                    lambda r: _converted(f, r.converted) if isinstance(r, RankedIn) else "",
                    numeric=True,
                    sort_key=_rank_key,
                ),
                Column(
                    N_("Per month"),
                    # From the ranked yearly figure, so it is at the same (today's) price.
                    lambda r: f.money(quantize(r.per_year / 12, r.subscription.currency), r.subscription.currency),
                    numeric=True,
                    sort_key=lambda r: (r.subscription.currency, r.per_year),
                ),
            ],
            id_of=lambda r: r.subscription.id,
            parent=self,
        )
        self.renewals = RecordTableModel[Renewals](
            [
                Column(N_("Renewal"), lambda r: r.subscription.name),
                Column(N_("Next"), lambda r: f.date(r.dates[0]), sort_key=lambda r: r.dates[0]),
                Column(N_("Charges"), lambda r: str(len(r.dates)), sort_key=lambda r: len(r.dates), numeric=True),
                Column(
                    N_("Total (your share)"),
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
            (_("By category"), self.categories, "category", ("per_year", descending)),
            (_("Most expensive"), self.expensive, "renewal", ("per_year", descending)),
            (_("Renewing in the next 12 months"), self.renewals, "renewal", ("next", ascending)),
            (_("Savings"), self.savings, "what", ("date", descending)),
        )
        for column, (title, model, stretch, sort) in enumerate(tables):
            box = QGroupBox(title, self)
            box_layout = QVBoxLayout(box)
            if model is self.savings:
                box_layout.addWidget(self.savings_label)
            view = table_view(model, title, box, stretch=stretch, sort=sort)
            if model is self.expensive:
                self.expensive_view = view
            fit_rows(view)  # the page scrolls as a whole: no scrolling table inside it, no half rows
            box_layout.addWidget(view)
            box_layout.addStretch(1)  # a short table sits at the top of its box
            # A whole row each: beside another, the most expensive's converted amounts left its names no room.
            grid.addWidget(box, column, 0)
        top = QHBoxLayout()
        top.addWidget(self.totals_label, 1)
        top.addWidget(self.charts_in_label)
        top.addWidget(self.currency_combo)
        inner = QWidget(self)
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(top)
        inner_layout.addLayout(charts, 1)
        self._charts_row = (inner_layout, charts)  # its stretch goes with the charts: none when they are hidden
        inner_layout.addWidget(self.charts_note)
        inner_layout.addLayout(grid, 1)
        scrolled(self, inner, _("Spending"))
        # The figures take a few hundred milliseconds at a thousand subscriptions: never on the GUI thread.
        self.background = LatestOnly(self)
        self._given: dict[RecordTableModel[Any], list[Any]] = {}  # the records each table was last given
        self._drawn: tuple[Any, ...] | None = None  # what the charts were last drawn from

    def _set_changed(self, model: RecordTableModel[Any], records: Sequence[Any]) -> None:
        """Give the table new records only when they differ: a reset lays the table out and paints it again."""
        records = list(records)
        if self._given.get(model) != records:
            self._given[model] = records
            model.set_records(records)

    def _show_savings(self, ledger: Ledger) -> None:
        f = self.formatter
        recovered = (
            f.totals(ledger.totals(SavingKind.RECOVERED)) if ledger.totals(SavingKind.RECOVERED) else _("nothing yet")
        )
        avoided = f.totals(ledger.totals(SavingKind.AVOIDED)) if ledger.totals(SavingKind.AVOIDED) else _("nothing yet")
        self.savings_label.setText(
            _(
                "Money recovered: <b>{recovered}</b> &nbsp;·&nbsp; renewals avoided: <b>{avoided}</b> "
                "<span>(refunds won, and a year of charges not made after each cancellation; your share where a "
                "cost is shared)</span>"
            ).format(recovered=recovered, avoided=avoided)
        )
        self._set_changed(self.savings, ledger.items)

    def _chart_view(self, title: str) -> QChartView:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        view = QChartView(chart, self)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(CHART_HEIGHT)
        view.setAccessibleName(title)
        return view

    def refresh(self) -> None:
        """Work the figures out on the worker thread; the page keeps showing the previous ones meanwhile."""
        subscriptions, prices, today = self._subscriptions(), self.prices(), self._today()
        home, table = self.conversion() if self.conversion is not None else ("", RateTable([]))
        savings = self._savings
        self.background.submit(lambda: spending_figures(subscriptions, prices, today, home, table, savings), self._show)

    def _show(self, figures: SpendingFigures) -> Iterator[None]:
        """Fill the page in slices, one per event-loop turn (the background's steps): each table, then the charts.

        What did not change since the last result is left alone: a table reset or a chart rebuilt lays out and
        paints again, the most of the GUI thread's time on this page.
        """
        f = self.formatter
        cost, home, table = figures.cost, figures.home, figures.table
        text = _(
            "Per month: <b>{totals}</b> &nbsp;·&nbsp; per year: <b>{totals2}</b> <span>(your share of what is "
            "active or in trial)</span>"
        ).format(totals=f.totals(cost.per_month), totals2=f.totals(cost.per_year))
        self._home, self._table = home, table
        if home:
            converted, missing = table.total(cost.per_year, home, figures.today)
            lacking = _("no rate for {currencies}").format(currencies=", ".join(missing))
            if nothing_converted(cost.per_year, missing):
                text += "<br>" + _("All in {home}: {no_rate}").format(home=home, no_rate=lacking)
            else:
                text += _("<br>All in {home}: <b>{_converted}</b> per year{gap}").format(
                    home=home, _converted=_converted(f, converted), gap=" — " + lacking if missing else ""
                )
        self.totals_label.setText(text)
        self._set_changed(
            self.categories,
            [
                CategoryCost(category, code, value)
                for category, per in figures.by_category.items()
                for code, value in per.items()
            ],
        )
        chosen = self.currency_combo.currentText()
        codes = list(figures.codes)
        if home:
            codes.insert(0, _(ALL_IN) + home)
        if codes != [self.currency_combo.itemText(i) for i in range(self.currency_combo.count())]:
            self.currency_combo.blockSignals(True)
            self.currency_combo.clear()
            self.currency_combo.addItems(codes)
            if chosen in codes:
                self.currency_combo.setCurrentText(chosen)
            self.currency_combo.blockSignals(False)
        yield
        self._set_changed(self.expensive, figures.expensive)
        self.expensive_view.setColumnHidden(self.expensive.column("in_home_currency"), not home)
        yield
        self._set_changed(self.renewals, figures.renewals)
        yield
        self._show_savings(figures.ledger)
        yield
        self._first_month, self._on = figures.first_month, figures.today
        self._months = figures.months
        self._by_category = figures.by_category
        self._draw_charts()

    def _draw_charts(self) -> None:
        code = self.currency_combo.currentText()
        if not hasattr(self, "_months"):
            return
        # Nothing charges in the year ahead: empty axes would read as a broken chart, a sentence says why.
        for widget in (self.months_chart, self.category_chart, self.currency_combo, self.charts_in_label):
            widget.setHidden(not code)
        layout, row = self._charts_row
        layout.setStretchFactor(row, 1 if code else 0)
        if not code:
            self.charts_note.setText(
                _(
                    "Nothing to chart: no renewal is active or in trial. The charts show what each one will charge "
                    "in the next 12 months."
                )
            )
            self.charts_note.show()
            return
        first = self._first_month
        labels = [self.formatter.date(add_months(first, i), "MMM") for i in range(len(self._months))]
        values: list[Decimal] | None = [self._months[i].get(code, Decimal(0)) for i in range(len(self._months))]
        by_category = self._by_category
        title, note = code, ""
        if code.startswith(_(ALL_IN)):
            code = title = self._home
            converted = charts_in(self._months, by_category, self._table, code, self._on)
            values = converted.months
            by_category = {name: {code: amount} for name, amount in converted.categories.items()}
            if converted.left_out:
                currencies = ", ".join(converted.left_out)
                title = _("{home} (without {currencies})").format(home=code, currencies=currencies)
                if values is None:
                    note = _(
                        "No exchange rate into {home} for {currencies}, so there is nothing to chart. “Charts in” "
                        "shows each currency on its own."
                    )
                else:
                    note = _(
                        "Left out of the charts (no exchange rate into {home}): {currencies}. “Charts in” shows "
                        "each currency on its own."
                    )
                note = note.format(home=code, currencies=currencies)
        categories = sorted(
            ((name, per[code]) for name, per in by_category.items() if code in per), key=lambda item: item[1]
        )
        self.charts_note.setText(note)
        self.charts_note.setVisible(bool(note))
        for view in (self.months_chart, self.category_chart):
            view.setAccessibleDescription(note)
        # Exactly what the charts would show: the same as last time, they already show it (rebuilding a chart's
        # series and axes lays it out and paints it again).
        palette = self.palette()
        colours = tuple(palette.color(role).rgba() for role in (Base, Text, Mid))
        drawn = (title, labels, values, categories, colours)
        if drawn == self._drawn:
            return
        self._drawn = drawn
        self._fill(self.months_chart.chart(), QBarSeries(), labels, values, title, horizontal=False)
        self._fit_month_labels()
        # QtCharts cuts a category's label to "…" once its slot is less than a line high: each gets a line.
        line = QFontMetrics(self._small_font()).height() + CATEGORY_PADDING
        self.category_chart.setMinimumHeight(max(CHART_HEIGHT, CHART_FRAME + line * len(categories)))
        self._fill(
            self.category_chart.chart(),
            QHorizontalBarSeries(),
            [c[0] for c in categories],
            None if values is None else [c[1] for c in categories],
            title,
            horizontal=True,
        )

    def _fit_month_labels(self, *_area: object) -> None:
        """Month names upright where each fits its slot, turned where one does not ("Sept.", "févr." in a narrow
        window)."""
        axes = self.months_chart.chart().axes(Qt.Orientation.Horizontal)
        if not axes or not isinstance(axes[0], QBarCategoryAxis) or not axes[0].categories():
            return
        names = axes[0]
        widest = max(QFontMetrics(names.labelsFont()).horizontalAdvance(text) for text in names.categories())
        slot = self.months_chart.chart().plotArea().width() / len(names.categories())
        angle = 0 if widest + MONTH_LABEL_ROOM <= slot else -90
        if names.labelsAngle() != angle:
            names.setLabelsAngle(angle)

    def _small_font(self) -> QFont:
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        return small

    def _fill(
        self,
        chart: QChart,
        series: QBarSeries | QHorizontalBarSeries,
        labels: list[str],
        values: list[Decimal] | None,
        title: str,
        *,
        horizontal: bool,
    ) -> None:
        """Bars of `values` over an amounts axis titled `title`; no values: no bars and no axes, only the title."""
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        text_colour = self.palette().color(QPalette.ColorRole.Text)
        chart.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Base))
        chart.setTitleBrush(text_colour)
        if values is None:
            return
        bars = QBarSet(title)
        bars.setColor(BAR_COLOUR)
        # Charts draw with floats; the exact Decimal figures are in the tables beside them.
        bars.append([float(value) for value in values])
        series.append(bars)
        chart.addSeries(series)
        names = QBarCategoryAxis()
        names.append(labels)
        amounts = QValueAxis()
        amounts.setLabelFormat("%.0f")
        amounts.setTitleText(title)
        amounts.setMin(0)
        top, ticks = nice_axis(max((float(v) for v in values), default=0.0))
        amounts.setMax(top)
        amounts.setTickCount(ticks)
        small = self._small_font()
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
