"""The renewal calendar: a month grid with each day's charges, trial ends and deadlines, and the day's list."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from PySide6.QtCore import QDate, QEvent, QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.events import EVENT_LABELS, Event, EventKind, event_label, events_between
from renewaltracker.domain.prices import PriceHistories
from renewaltracker.domain.spending import add_months, charge_totals, month_end
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import N_, _, ngettext
from renewaltracker.ui.background import LatestOnly
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.lazy import LazyView
from renewaltracker.ui.table_model import Column, RecordTableModel
from renewaltracker.ui.widgets import from_qdate, table_view, to_qdate

# Mid-tone colours that read on light and dark backgrounds alike.
MARKER_COLOURS = {
    EventKind.CHARGE: QColor("#3b7ddd"),
    EventKind.TRIAL_END: QColor("#9b59b6"),
    EventKind.CANCEL_BY: QColor("#e0454b"),
    EventKind.REFUND_WINDOW_END: QColor("#2e9d57"),
    EventKind.FOLLOW_UP: QColor("#d08a00"),
    EventKind.REVIEW: QColor("#2e7d32"),
}


class MonthGrid(QCalendarWidget):
    """A QCalendarWidget whose cells paint the day's events; the events come from `set_events`."""

    def __init__(self, formatter: Formatter, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.formatter = formatter
        self.today = today
        self._events: dict[date, list[Event]] = {}
        # Each day's formatted lines, made when first painted: a month at a thousand renewals holds thousands of
        # amounts, and a repaint (hover, selection) must not format them all again.
        self._lines: dict[date, list[tuple[QColor, str]]] = {}
        self.setGridVisible(True)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setHorizontalHeaderFormat(QCalendarWidget.HorizontalHeaderFormat.ShortDayNames)
        self.setAccessibleName(_("Renewal calendar"))
        self.setSelectedDate(to_qdate(today))
        # Six weeks of a line or two each: low enough that the window still fits a 1024×600 screen.
        self.setMinimumSize(420, 220)
        # The grid gives the weekday header a seventh of the height; one line of text is enough for it.
        self._inner: QTableView | None = self.findChild(QTableView, "qt_calendar_calendarview")
        if self._inner is not None:
            rows = self._inner.verticalHeader()
            rows.setMinimumSectionSize(1)
            rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            self._inner.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        inner = self._inner
        if inner is not None and watched is inner and event.type() == QEvent.Type.Resize:
            rows = inner.verticalHeader()
            if rows.count() == 7:
                header_height = self.fontMetrics().height() + 8
                rows.resizeSection(0, header_height)
                # The viewport is resized after this event; the view's own new height is already known.
                grid_height = inner.height() - 2 * inner.frameWidth()
                week_height = max((grid_height - header_height) // 6, 1)
                for row in range(1, 7):
                    rows.resizeSection(row, week_height)
        return super().eventFilter(watched, event)

    def set_events(self, events: list[Event]) -> None:
        grouped: dict[date, list[Event]] = defaultdict(list)
        for event in events:
            grouped[event.date].append(event)
        self._events = dict(grouped)
        self._lines = {}
        self.updateCells()

    def events_on(self, day: date) -> list[Event]:
        return list(self._events.get(day, []))

    def markers_on(self, day: date) -> list[EventKind]:
        """The marker kinds the cell for `day` shows, most urgent first."""
        return [event.kind for event in self._events.get(day, [])]

    def cell_lines(self, day: date, limit: int | None = None) -> list[tuple[QColor, str]]:
        """What a cell writes below the day number: a coloured symbol and "name amount" per event (the first
        `limit` of them)."""
        events = self._events.get(day, [])
        wanted = len(events) if limit is None else min(limit, len(events))
        lines = self._lines.setdefault(day, [])
        for event in events[len(lines) : wanted]:
            if event.kind is EventKind.CHARGE:
                text = self.formatter.money(event.amount, event.currency) + " " + event.name
            else:  # the symbol and colour say which deadline it is; the legend names them
                text = event.name
            lines.append((MARKER_COLOURS[event.kind], f"{EVENT_LABELS[event.kind].symbol} {text}"))
        return lines[:wanted]

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate | date) -> None:
        day = qdate if isinstance(qdate, date) else from_qdate(qdate)
        palette = self.palette()
        in_month = day.month == self.monthShown() and day.year == self.yearShown()
        painter.save()
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Base if in_month else QPalette.ColorRole.AlternateBase))
        if to_qdate(day) == self.selectedDate():
            highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
            highlight.setAlpha(55)
            painter.fillRect(rect, highlight)
        text_role = QPalette.ColorRole.Text if in_month else QPalette.ColorRole.PlaceholderText
        font = QFont(painter.font())
        font.setBold(day == self.today)
        painter.setFont(font)
        painter.setPen(palette.color(text_role))
        inner = rect.adjusted(4, 2, -4, -2)
        painter.drawText(inner, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight, str(day.day))
        if day == self.today:
            pen = painter.pen()
            pen.setColor(palette.color(QPalette.ColorRole.Highlight))
            pen.setWidth(2)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        small = QFont(font)
        small.setBold(False)
        small.setPointSizeF(max(font.pointSizeF() * 0.8, 6.0))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        line_height = metrics.height()
        top = inner.top() + line_height + 1
        count = len(self._events.get(day, ()))
        room = max((inner.bottom() - top) // line_height, 0)
        # Only the lines that fit are formatted; the last row says how many more there are.
        shown = self.cell_lines(day, count if count <= room else max(room - 1, 0))
        for index, (colour, text) in enumerate(shown):
            line_rect = QRect(inner.left(), top + index * line_height, inner.width(), line_height)
            colour = QColor(colour) if in_month else QColor(colour.red(), colour.green(), colour.blue(), 120)
            painter.setPen(colour)
            painter.drawText(
                line_rect,
                Qt.AlignmentFlag.AlignLeft,
                metrics.elidedText(text, Qt.TextElideMode.ElideRight, inner.width()),
            )
        if len(shown) < count and room > 0:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            more_rect = QRect(inner.left(), top + len(shown) * line_height, inner.width(), line_height)
            painter.drawText(more_rect, Qt.AlignmentFlag.AlignLeft, f"+{count - len(shown)} more")
        painter.restore()


def marked_label(kind: EventKind) -> str:
    """The kind's symbol and name, as the day list and the upcoming list show them."""
    return f"{EVENT_LABELS[kind].symbol} {event_label(kind)}"


def day_columns(formatter: Formatter) -> list[Column[Event]]:
    return [
        Column(
            N_("What"),
            lambda e: marked_label(e.kind),
            foreground=lambda e: MARKER_COLOURS[e.kind],
        ),
        Column(N_("Renewal"), lambda e: e.name),
        Column(
            N_("Amount"),
            lambda e: formatter.money(e.amount, e.currency),
            numeric=True,
            sort_key=lambda e: (e.currency, e.amount),
        ),
        Column(
            N_("For the charge on"),
            lambda e: formatter.date(e.charge_date) if e.kind is not EventKind.CHARGE else "",
            sort_key=lambda e: e.charge_date,
        ),
    ]


class MonthFigures(NamedTuple):
    """A page of the grid, worked out on the view's worker thread."""

    first: date
    events: list[Event]  # from a week before the month to two weeks after it
    totals: dict[str, Decimal]  # the month's charges per currency


def month_figures(subscriptions: list[Subscription], prices: PriceHistories, first: date) -> MonthFigures:
    """The events the grid shows around the month starting `first`, and that month's charge totals (no Qt)."""
    # The grid shows up to a week before and two weeks after the month.
    start, end = first - timedelta(days=7), month_end(first) + timedelta(days=14)
    events = events_between(subscriptions, start, end, prices)
    in_month = [e for e in events if first <= e.date <= month_end(first)]
    return MonthFigures(first, events, charge_totals(in_month))


class CalendarView(LazyView):
    """The month grid, the month's charge totals per currency, and the selected day's events."""

    open_requested = Signal(int)

    def __init__(
        self,
        formatter: Formatter,
        today: Callable[[], date],
        subscriptions: Callable[[], list[Subscription]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(formatter, today, subscriptions, parent)
        self.grid = MonthGrid(formatter, today(), self)
        self.total_label = QLabel(self)
        self.total_label.setAccessibleName(_("Charges this month"))
        self.day_label = QLabel(self)
        self.day_label.setAccessibleName(_("Selected day"))
        self.day_model = RecordTableModel(day_columns(formatter), id_of=lambda e: e.subscription_id, parent=self)
        self.day_table = table_view(
            self.day_model, _("Events on the selected day"), self, stretch="renewal", open_id=self.open_requested.emit
        )
        self.day_table.horizontalHeader().setResizeContentsPrecision(0)  # a day's rows: size from those on screen
        shown_kinds = (EventKind.CHARGE, EventKind.TRIAL_END, EventKind.CANCEL_BY, EventKind.REFUND_WINDOW_END)
        legend = QLabel(
            "&nbsp;&nbsp;&nbsp; ".join(
                f'<span style="color:{MARKER_COLOURS[k].name()}">{EVENT_LABELS[k].symbol}</span> {event_label(k)}'
                for k in shown_kinds
            ),
            self,
        )
        legend.setAccessibleName(_("Legend"))
        self.day_table.setMinimumHeight(90)
        layout = QVBoxLayout(self)
        layout.addWidget(self.total_label)
        layout.addWidget(self.grid, 4)
        layout.addWidget(legend)
        layout.addWidget(self.day_label)
        layout.addWidget(self.day_table, 1)
        # A cold expansion of a thousand subscriptions' weeks takes tens of milliseconds: not on the GUI thread.
        self.background = LatestOnly(self)
        self._shown_first: date | None = None  # the month whose events the grid holds
        self.grid.currentPageChanged.connect(self._page_turned)
        self.grid.selectionChanged.connect(self._show_day)
        self.grid.activated.connect(self._open_first)

    def month_start(self) -> date:
        return date(self.grid.yearShown(), self.grid.monthShown(), 1)

    def show_month(self, year: int, month: int) -> None:
        self.grid.setCurrentPage(year, month)
        self.refresh()

    def select_day(self, day: date) -> None:
        self.grid.setSelectedDate(to_qdate(day))
        self._show_day()

    def _page_turned(self, year: int, month: int) -> None:
        """The arrows and the month menu turn the page alone: the day listed below moves with it, to the same day
        of the month shown (the 31st clipped to its end), so the list never names a month out of sight."""
        selected = from_qdate(self.grid.selectedDate())
        if (selected.year, selected.month) != (year, month):
            first = date(year, month, 1)
            self.grid.setSelectedDate(to_qdate(first.replace(day=min(selected.day, month_end(first).day))))
        self.refresh()

    def refresh(self) -> None:
        """Expand the shown weeks' events on the worker thread; the grid keeps the previous ones meanwhile."""
        self.grid.today = self._today()
        first = self.month_start()
        subscriptions, prices = self._subscriptions(), self.prices()
        self.background.submit(lambda: month_figures(subscriptions, prices, first), self._show)

    def _show(self, figures: MonthFigures) -> None:
        first, events, totals = figures
        if first != self.month_start():
            return  # the page turned meanwhile (its refresh is on its way)
        self.grid.set_events(events)
        self._shown_first = first
        month_name = self.formatter.date(first, "LLLL y")
        self.total_label.setText(
            _("<b>{month_name}</b> — charges: {totals}").format(
                month_name=month_name, totals=self.formatter.totals(totals)
            )
        )
        self._show_day()

    def month_totals(self) -> dict[str, Decimal]:
        first = self.month_start()
        return charge_totals(events_between(self._subscriptions(), first, month_end(first), self.prices()))

    def _show_day(self) -> None:
        day = from_qdate(self.grid.selectedDate())
        heading = _("<b>{date}</b> — ").format(date=self.formatter.date(day, "full"))
        if self._shown_first != self.month_start():  # the month's events are on their way: no "nothing due" yet
            self.day_label.setText(heading.rstrip(" —"))
            self.day_model.set_records([])
            return
        events = self.grid.events_on(day)
        self.day_label.setText(
            heading
            + (
                ngettext("{count} event", "{count} events", len(events)).format(count=len(events))
                if events
                else _("nothing due")
            )
        )
        self.day_model.set_records(events)

    def _open_first(self) -> None:
        """Double-clicking a day with one subscription on it opens that subscription."""
        ids = {event.subscription_id for event in self.day_model.records()}
        if len(ids) == 1:
            self.open_requested.emit(ids.pop())

    def next_month(self) -> None:
        nxt = add_months(self.month_start(), 1)
        self.show_month(nxt.year, nxt.month)
