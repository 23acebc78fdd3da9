"""The subscriptions list: search box, status and category filters, the table, and the first-run empty state."""

from __future__ import annotations

import functools
from typing import Any

from PySide6.QtCore import QEvent, QItemSelection, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.subscription import Status
from renewaltracker.i18n import _
from renewaltracker.ui.fitting import FittingDelegate
from renewaltracker.ui.formatting import STATUS_LABELS
from renewaltracker.ui.icons import icon
from renewaltracker.ui.pyside_fixes import viewport_of
from renewaltracker.ui.subscription_model import SubscriptionFilter, SubscriptionTableModel
from renewaltracker.ui.table_model import ID_ROLE

ALL = "__all__"
# Columns a fresh window hides, leaving the name its room; View ▸ Columns (or the header's menu) shows them.
HIDDEN_AT_FIRST = ("last_used",)
# The name's minimum width, in average characters: its longest text within these bounds.
NAME_CHARS = (16, 30)
# Rows read to fit a column to its contents (beyond the visible ones): enough for the typical widths.
FIT_ROWS = 200


class SubscriptionsView(QWidget):
    """Emits `selected(id | None)` when the selection changes and `activated(id)` on double-click or Enter."""

    selected = Signal(object)
    activated = Signal(int)
    add_requested = Signal()

    def __init__(self, model: SubscriptionTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.proxy = SubscriptionFilter(self)
        self.proxy.setSourceModel(model)

        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_("Search name, vendor, category, payment, notes…"))
        self.search.setAccessibleName(_("Search subscriptions"))
        # Its clear button's icon is the first one the desktop's icon theme gives (4 ms under X11, before the rows
        # paint): added when the box first takes the focus or a text. An empty box looks the same without it.
        self.search.installEventFilter(self)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.textChanged.connect(self._search_changed)
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName(_("Filter by status"))
        self.status_filter.addItem(_("All statuses"), ALL)
        for status in Status:
            self.status_filter.addItem(_(STATUS_LABELS[status]), status.value)
        self.status_filter.currentIndexChanged.connect(self._status_chosen)
        self.category_filter = QComboBox(self)
        self.category_filter.setAccessibleName(_("Filter by category"))
        self.category_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.category_filter.currentIndexChanged.connect(self._category_chosen)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.category_filter)

        self.table = QTableView(self)
        # Unfiltered, the table shows the model itself: every cell asked through a proxy costs more Python calls.
        self.table.setModel(model)
        self.fitting = FittingDelegate(model, self.table)
        self.table.setItemDelegate(self.fitting)
        self._viewport = viewport_of(self.table)
        self.table.setAccessibleName(_("Subscriptions"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        # Fitting a column to its contents reads the visible rows and this many more, not a long list's every row.
        header.setResizeContentsPrecision(FIT_ROWS)
        # Until the rows arrive every column is as wide as its (possibly translated) header: never cut.
        for column in range(model.columnCount()):
            self.table.setColumnWidth(column, header.sectionSizeHint(column))
        self.name_min = NAME_CHARS[0] * header.fontMetrics().averageCharWidth()
        self._fit_pending = False
        self.name_takes_spare_width()
        self._viewport.installEventFilter(self)
        header.sectionResized.connect(self._section_resized)
        # Indicator first, then sorting on: the view sorts once, not twice.
        header.setSortIndicator(model.column("next_charge"), Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        # View ▸ Columns and the header's own menu show or hide every column but the name.
        self.columns_menu = QMenu(_("Co&lumns"), self)
        self.columns_menu.aboutToShow.connect(self._fill_columns_menu)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(lambda at: self.columns_menu.popup(header.mapToGlobal(at)))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.proxy.filter_changed.connect(self._use_proxy_while_filtering)
        self.table.doubleClicked.connect(self._double_clicked)
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, context=Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(lambda: self._double_clicked(self.table.currentIndex()))

        self.loading = QLabel(_("Loading your renewals…"), self)
        self.loading.setTextFormat(Qt.TextFormat.PlainText)  # it may say why the file cannot be read, path and all
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty: QWidget | None = None  # the first-run page, built when first shown
        self._add_button: QPushButton | None = None  # its "Add a renewal…"
        self.no_match = QLabel(_("No renewal matches the search or filters."), self)
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        for page in (self.table, self.no_match, self.loading):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)

        # A reload (another process wrote, or View ▸ Refresh) resets the model: keep the row and the scrolling.
        self._kept: tuple[int | None, int, int] | None = None
        model.modelAboutToBeReset.connect(self._keep_place)
        model.modelReset.connect(self._restore_place)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(self._contents_changed)
            signal.connect(self._fit_when_loaded)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_page)
        self._contents_changed()

    def name_takes_spare_width(self) -> None:
        """The name takes the spare width (and gives it back) down to `name_min`; below that a scroll bar appears.

        Called again after a remembered header state is restored, which brings back its own resize modes.
        """
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self._keep_name_readable()

    def _keep_name_readable(self) -> None:
        """Stretch the name over the spare width while that leaves it `name_min`; otherwise hold it there."""
        header = self.table.horizontalHeader()
        name = self.model.column("name")
        others = header.length() - header.sectionSize(name)
        squeezed = self._viewport.width() - others < self.name_min
        mode = QHeaderView.ResizeMode.Interactive if squeezed else QHeaderView.ResizeMode.Stretch
        if header.sectionResizeMode(name) != mode:
            header.setSectionResizeMode(name, mode)
        if squeezed and header.sectionSize(name) < self.name_min:
            header.resizeSection(name, self.name_min)

    def _section_resized(self, column: int, old: int, new: int) -> None:
        if column != self.model.column("name"):  # the name's own changes come from here
            self._keep_name_readable()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Resize and watched is self._viewport:
            self._keep_name_readable()
        elif kind == QEvent.Type.FocusIn and watched is self.search:
            self._add_clear_button()
        return False

    def _add_clear_button(self) -> None:
        if not self.search.isClearButtonEnabled():
            self.search.setClearButtonEnabled(True)
            self.search.removeEventFilter(self)

    def first_columns(self) -> None:
        """A fresh window's columns (nothing remembered): the less used ones hidden, and every width fitted to
        the rows once they arrive from the worker (an empty table would size them for nothing)."""
        header = self.table.horizontalHeader()
        for key in HIDDEN_AT_FIRST:
            header.setSectionHidden(self.model.column(key), True)
        self._fit_pending = True
        self._fit_when_loaded()

    def _fit_when_loaded(self, *args: Any) -> None:
        # The first screenful fits as the whole set would: it holds the visible rows and FIT_ROWS more.
        if self._fit_pending and (self.model.loaded or self.model.partial) and self.model.rowCount():
            self._fit_pending = False
            self.fit_columns()

    def fit_columns(self) -> None:
        """Every column but the name as wide as its header and the first rows; the name's minimum from its texts."""
        header = self.table.horizontalHeader()
        name = self.model.column("name")
        with self.fitting.measuring():
            for column in range(self.model.columnCount()):
                if column != name:
                    self._fit_column(column)  # hidden ones too: right when shown
            name_hint = self.fitting.column_hint(self.table, name)
        chars = header.fontMetrics().averageCharWidth()
        low, high = NAME_CHARS
        self.name_min = min(max(name_hint, low * chars), high * chars)
        self._keep_name_readable()

    def _fill_columns_menu(self) -> None:
        header = self.table.horizontalHeader()
        self.columns_menu.clear()
        for column in range(self.model.columnCount()):
            if column == self.model.column("name"):
                continue  # the one column a row is known by
            action = self.columns_menu.addAction(str(self.model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(functools.partial(self.show_column, column))

    def show_column(self, column: int, shown: bool) -> None:
        """Show or hide a column; a column shown for the first time is fitted to its contents."""
        header = self.table.horizontalHeader()
        header.setSectionHidden(column, not shown)
        if shown and header.sectionSize(column) < header.sectionSizeHint(column):
            with self.fitting.measuring():
                self._fit_column(column)
        self._keep_name_readable()

    def _fit_column(self, column: int) -> None:
        """Its header and first rows, and a little air so neighbouring texts do not touch."""
        self.fitting.fit_column(self.table, column)
        air = self.table.fontMetrics().averageCharWidth()
        self.table.setColumnWidth(column, self.table.columnWidth(column) + air)

    @property
    def empty(self) -> QWidget:
        """The first-run page ("Add your first renewal"), built the first time it is asked for: most starts have
        renewals to show instead."""
        if self._empty is None:
            self._empty = self._empty_state()
            self.stack.addWidget(self._empty)
        return self._empty

    @property
    def add_button(self) -> QPushButton:
        """The first-run page's "Add a renewal…" (the page is built now if it was not)."""
        self.empty  # noqa: B018 - builds the page
        assert self._add_button is not None
        return self._add_button

    def _empty_state(self) -> QWidget:
        page = QWidget(self)
        title = QLabel(_("<h2>Add your first renewal</h2>"), page)
        text = QLabel(
            _(
                "Everything that renews by itself — streaming, software, insurance, domains, the gym.<br>"
                "Renewal Tracker shows when each one charges, and warns you before the deadlines."
            ),
            page,
        )
        text.setWordWrap(True)
        button = QPushButton(icon("add"), _("Add a renewal…"), page)
        button.setAccessibleName(_("Add your first renewal"))
        button.clicked.connect(self.add_requested)
        self._add_button = button
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        for widget in (title, text, button):
            # A word-wrapped label squeezed to its minimum width wraps into a clipped column: let it span the page.
            alignment = Qt.AlignmentFlag(0) if widget is text else Qt.AlignmentFlag.AlignHCenter
            layout.addWidget(widget, 0, alignment)
            if isinstance(widget, QLabel):
                widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        return page

    # -- filters ---------------------------------------------------------------
    def _search_changed(self, text: str) -> None:
        if text:
            self._add_clear_button()  # a text set without the focus
        self.proxy.set_search(text)
        self._update_page()

    def _use_proxy_while_filtering(self) -> None:
        wanted = self.proxy if self.proxy.is_filtering() else self.model
        if self.table.model() is wanted:
            return
        chosen = self.selected_id()
        old_selection = self.table.selectionModel()
        old_selection.selectionChanged.disconnect(self._selection_changed)
        self.table.setModel(wanted)
        old_selection.deleteLater()
        if chosen is not None:
            self._select_row(chosen)
        # Connected after re-selecting: the selection only changed if the row is now hidden.
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        if self.selected_id() != chosen:
            self.selected.emit(self.selected_id())

    def _status_chosen(self) -> None:
        value = self.status_filter.currentData()
        self.proxy.set_status(None if value == ALL else Status(value))
        self._update_page()

    def _category_chosen(self) -> None:
        value = self.category_filter.currentData()
        self.proxy.set_category(None if value in (ALL, None) else str(value))
        self._update_page()

    def _contents_changed(self, *args: Any) -> None:
        chosen = self.category_filter.currentData()
        categories = self.model.categories()
        self.category_filter.blockSignals(True)
        self.category_filter.clear()
        self.category_filter.addItem(_("All categories"), ALL)
        for category in categories:
            self.category_filter.addItem(category, category)
        index = self.category_filter.findData(chosen)
        self.category_filter.setCurrentIndex(max(index, 0))
        self.category_filter.blockSignals(False)
        if index < 0 and chosen not in (ALL, None):
            self._category_chosen()
        self._update_page()

    def clear_filters(self) -> None:
        self.search.clear()
        self.status_filter.setCurrentIndex(0)
        self.category_filter.setCurrentIndex(0)

    def _update_page(self, *args: Any) -> None:
        if not (self.model.loaded or self.model.partial):
            self.stack.setCurrentWidget(self.loading)
        elif self.model.rowCount() == 0:
            self.stack.setCurrentWidget(self.empty)
        elif self.proxy.is_filtering() and self.proxy.rowCount() == 0:  # unfiltered, the proxy is not asked to map
            self.stack.setCurrentWidget(self.no_match)
        else:
            self.stack.setCurrentWidget(self.table)

    # -- selection -------------------------------------------------------------
    def _keep_place(self) -> None:
        bars = (self.table.verticalScrollBar(), self.table.horizontalScrollBar())
        self._kept = (self.selected_id(), bars[0].value(), bars[1].value())

    def _restore_place(self) -> None:
        if self._kept is None:
            return
        chosen, vertical, horizontal = self._kept
        self._kept = None
        if chosen is not None and not self._select_row(chosen):
            self.selected.emit(None)  # the selected renewal went away (deleted elsewhere, or filtered out)
        self.table.verticalScrollBar().setValue(vertical)
        self.table.horizontalScrollBar().setValue(horizontal)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = rows[0].data(ID_ROLE)
        return int(value) if value is not None else None

    def select_id(self, subscription_id: int) -> bool:
        """Select a subscription's row, clearing filters that hide it; False when it does not exist."""
        if self.model.row_of_id(subscription_id) is None:
            return False
        if not self._select_row(subscription_id):
            self.clear_filters()
            self._select_row(subscription_id)
        return True

    def _select_row(self, subscription_id: int) -> bool:
        """Select the row in whichever model the table shows; False when a filter hides it."""
        row = self.model.row_of_id(subscription_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        if self.table.model() is self.proxy:
            index = self.proxy.mapFromSource(index)
            if not index.isValid():
                return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _selection_changed(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self.selected.emit(self.selected_id())

    def _double_clicked(self, index: QModelIndex) -> None:
        value = index.data(ID_ROLE)
        if value is not None:
            self.activated.emit(int(value))
