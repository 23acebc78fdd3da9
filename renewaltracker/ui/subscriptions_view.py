"""The subscriptions list: search box, status and category filters, the table, and the first-run empty state."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.subscription import Status
from renewaltracker.i18n import _
from renewaltracker.ui.formatting import STATUS_LABELS
from renewaltracker.ui.icons import icon
from renewaltracker.ui.subscription_model import SubscriptionFilter, SubscriptionTableModel
from renewaltracker.ui.table_model import ID_ROLE

ALL = "__all__"


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
        self.search.setClearButtonEnabled(True)
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
        self.table.setAccessibleName(_("Subscriptions"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        self.name_takes_spare_width()
        # Indicator first, then sorting on: the view sorts once, not twice.
        header.setSortIndicator(model.column("next_charge"), Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        widths = {
            "vendor": 105,
            "category": 110,
            "amount": 85,
            "cycle": 100,
            "next_charge": 110,
            "days_left": 75,
            "status": 80,
        }
        for key, width in widths.items():
            self.table.setColumnWidth(model.column(key), width)
        # A translated header may be longer than the column's content: never cut it.
        metrics = header.fontMetrics()
        for column in range(model.columnCount()):
            if column != model.column("name"):
                text = str(model.headerData(column, Qt.Orientation.Horizontal))
                needed = metrics.horizontalAdvance(text) + metrics.averageCharWidth() + 4
                self.table.setColumnWidth(column, max(self.table.columnWidth(column), needed))
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.proxy.filter_changed.connect(self._use_proxy_while_filtering)
        self.table.doubleClicked.connect(self._double_clicked)
        enter = QShortcut(QKeySequence(Qt.Key.Key_Return), self.table, context=Qt.ShortcutContext.WidgetShortcut)
        enter.activated.connect(lambda: self._double_clicked(self.table.currentIndex()))

        self.loading = QLabel(_("Loading your renewals…"), self)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty = self._empty_state()
        self.no_match = QLabel(_("No renewal matches the search or filters."), self)
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        for page in (self.table, self.empty, self.no_match, self.loading):
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
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._update_page)
        self._contents_changed()

    def name_takes_spare_width(self) -> None:
        """The name takes the spare width (and gives it back): the columns fit without a horizontal scroll bar.

        Called again after a remembered header state is restored, which brings back its own resize modes.
        """
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(self.model.column("name"), QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)

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
        if not self.model.loaded:
            self.stack.setCurrentWidget(self.loading)
        elif self.model.rowCount() == 0:
            self.stack.setCurrentWidget(self.empty)
        elif self.proxy.rowCount() == 0:
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
