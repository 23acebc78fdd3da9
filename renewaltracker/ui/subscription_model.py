"""The subscriptions table: a model over the service that follows its changes, and a filtering proxy."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QColor

from renewaltracker.domain.errors import NotFoundError
from renewaltracker.domain.prices import PriceHistory
from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.domain.unused import days_unused, is_unused
from renewaltracker.i18n import N_, _, ngettext
from renewaltracker.ui.formatting import STATUS_LABELS, Formatter
from renewaltracker.ui.table_model import Column, RecordTableModel, none_last

if TYPE_CHECKING:  # the first rows are shown before the services (and SQLAlchemy) are imported
    from renewaltracker.services.subscriptions import SubscriptionService

UNUSED_COLOUR = QColor("#c77700")
log = logging.getLogger(__name__)
# What a read produces: the table's records and every plan's price history.
Rows = tuple[list["SubscriptionRecord"], dict[int, PriceHistory]]


@dataclass(frozen=True, slots=True)
class SubscriptionRecord:
    """A subscription with the figures the table shows, computed once per change rather than per paint."""

    subscription: Subscription
    next_charge: date | None
    days_left: int | None
    search_text: str
    status: Status
    days_unused: int | None
    unused: bool
    # The price in force today: the stored amount lags a planned step until something saves the plan again.
    amount: Decimal

    @classmethod
    def of(cls, subscription: Subscription, today: date, prices: PriceHistory | None = None) -> SubscriptionRecord:
        upcoming = subscription.next_charge(today)
        text = " ".join(
            (
                subscription.name,
                subscription.vendor,
                subscription.category,
                subscription.notes,
                subscription.order_number,
                subscription.account,
                # "#family" finds the tag family exactly; the bare word finds it too.
                *(f"#{tag}" for tag in subscription.tags),
                subscription.payment_method,
            )
        ).casefold()
        days_left = (upcoming - today).days if upcoming else None
        status = subscription.status_on(today)
        return cls(
            subscription,
            upcoming,
            days_left,
            text,
            status,
            days_unused(subscription, today),
            is_unused(subscription, today),
            prices.price_on(today) if prices else subscription.amount,
        )


def unused_tip(days: int | None) -> str:
    """The warning beside a subscription nobody has used for a while."""
    count = days or 0
    return ngettext(
        "Not used for {days} day: keep, cancel or downgrade?",
        "Not used for {days} days: keep, cancel or downgrade?",
        count,
    ).format(days=count)


def subscription_columns(formatter: Formatter) -> list[Column[SubscriptionRecord]]:
    def amount_tip(record: SubscriptionRecord) -> str:
        s = record.subscription
        if not s.is_shared:
            return ""
        return _("Your share: {amount}").format(amount=formatter.money(s.share_of(record.amount), s.currency))

    return [
        Column(N_("Name"), lambda r: r.subscription.name),
        Column(N_("Vendor"), lambda r: r.subscription.vendor),
        Column(N_("Category"), lambda r: r.subscription.category),
        Column(
            N_("Amount"),
            lambda r: formatter.money(r.amount, r.subscription.currency),
            sort_key=lambda r: (r.subscription.currency, r.amount),
            numeric=True,
            tooltip=amount_tip,
        ),
        Column(
            N_("Cycle"),
            lambda r: formatter.cycle(r.subscription.interval),
            sort_key=lambda r: r.subscription.interval.days or r.subscription.interval.months * 30.436875,
        ),
        Column(N_("Next charge"), lambda r: formatter.date(r.next_charge), sort_key=lambda r: none_last(r.next_charge)),
        Column(
            N_("Days left"),
            lambda r: formatter.days_left(r.days_left),
            sort_key=lambda r: none_last(r.days_left),
            numeric=True,
        ),
        Column(N_("Status"), lambda r: _(STATUS_LABELS[r.status])),
        Column(
            N_("Last used"),
            lambda r: ("⚠ " if r.unused else "") + formatter.date(r.subscription.last_used),
            sort_key=lambda r: none_last(r.days_unused),
            tooltip=lambda r: unused_tip(r.days_unused) if r.unused else "",
            foreground=lambda r: UNUSED_COLOUR if r.unused else None,
        ),
    ]


def table_rows(subscriptions: list[Subscription], prices: dict[int, PriceHistory], today: date) -> Rows:
    """The table's records of `subscriptions` (as read from the service or the sqlite3 reader alike)."""
    return [SubscriptionRecord.of(s, today, prices.get(s.id or 0)) for s in subscriptions], prices


@dataclass(frozen=True, slots=True)
class FirstRows:
    """The first screenful of a read in the order the table shows it (sorted by `sort_key` ascending): the window
    paints these while the worker builds the rest. No price histories: nobody reads them until every row is in."""

    records: list[SubscriptionRecord]
    sort_key: str


class _ReadSignals(QObject):
    done = Signal(int, object)  # (generation, Rows, None for a read that declined, or the exception it raised)
    first = Signal(int, object)  # (generation, FirstRows or None), before `done` when the read gives a screenful


class _ReadJob(QRunnable):
    """Reads every row on the model's worker thread; the result comes back to the GUI thread by signal."""

    def __init__(
        self,
        read: Callable[[], Rows | None],
        generation: int,
        first: Callable[[], FirstRows | None] | None = None,
    ) -> None:
        super().__init__()
        self.signals = _ReadSignals()
        self._read = read
        self._first = first
        self._generation = generation

    def run(self) -> None:
        if self._first is not None:
            # A failing first read shows nothing early: the whole read, next, reports what went wrong.
            self.signals.first.emit(self._generation, _quietly(self._first))
        result: Rows | Exception | None
        try:
            result = self._read()
        except Exception as error:  # handed to the GUI thread, which says what went wrong
            result = error
        self.signals.done.emit(self._generation, result)


def _quietly(first: Callable[[], FirstRows | None]) -> FirstRows | None:
    try:
        return first()
    except Exception:
        log.debug("no first screenful", exc_info=True)
        return None


class SubscriptionTableModel(RecordTableModel[SubscriptionRecord]):
    """All subscriptions; updates one row at a time when the service reports a change to it.

    Whole reads (the first, and reloads after outside changes) run on a worker thread once
    `load_in_background` was called; `refresh` reads on the calling thread, for code that needs the rows now.
    Without a service (the window's first rows, read with sqlite3 before the services load) the model reads only
    what `load_in_background(read)` is given, until `serve` hands it the service.
    """

    # Every row arrived from the worker and is in the model.
    read_finished = Signal()
    # Rows are in the model to paint: the first screenful (`partial`) or every row (the window marks its first
    # populated paint).
    rows_shown = Signal()
    # A whole read failed: the sentence to show (a busy or damaged database), the model keeps its rows.
    read_failed = Signal(str)
    # The read given to `load_in_background` could not read this database (not current): the service must.
    read_declined = Signal()

    def __init__(
        self, service: SubscriptionService | None, formatter: Formatter, parent: QObject | None = None
    ) -> None:
        super().__init__(subscription_columns(formatter), id_of=lambda r: r.subscription.id, parent=parent)
        self.service = service
        self.loaded = False
        # The model holds only the first screenful of a read still under way: painted, but `records()` and
        # `prices` stay empty, so the views that read every subscription wait for the whole set.
        self.partial = False
        # Every plan's price history, read with the subscriptions: the views price each date from it.
        self.prices: dict[int, PriceHistory] = {}
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._job: _ReadJob | None = None
        self._again = False  # a change arrived while the worker read: read once more when it is done
        self._background = False
        # Each whole read takes a number; a result older than the rows already shown is dropped.
        self._generation = 0
        self._shown_generation = 0

    @property
    def loading(self) -> bool:
        """Whether a worker is reading the rows right now."""
        return self._job is not None

    def serve(self, service: SubscriptionService) -> None:
        """Read (and follow changes) through `service` from now on."""
        self.service = service

    def _service(self) -> SubscriptionService:
        assert self.service is not None, "the model reads through the service only once it has one"
        return self.service

    def read(self) -> Rows:
        """Every subscription as a table record, and the price histories; touches no Qt object (runs on a worker)."""
        service = self._service()
        today = service.clock.today()
        subscriptions = service.all()
        return table_rows(subscriptions, service.price_histories(), today)

    def refresh(self) -> None:
        """Read every row now, on this thread."""
        self._generation += 1
        generation = self._generation
        self.loaded = True
        self._show(generation, self.read())

    def load_in_background(
        self, read: Callable[[], Rows | None] | None = None, first: Callable[[], FirstRows | None] | None = None
    ) -> None:
        """Read every row on the worker (with `read` instead of the service, this once, when given; `first`, when
        given, is called before it for the first screenful to show meanwhile); from now on whole reloads run there
        too."""
        if read is None and self.service is None:
            return  # nothing to read with yet: `serve` comes first
        self._background = True
        if self._job is not None:
            self._again = True
            return
        self._generation += 1
        job = _ReadJob(read or self.read, self._generation, first if read is not None else None)
        job.signals.first.connect(self._first_done)
        job.signals.done.connect(self._read_done)
        self._job = job
        self.pool.start(job)

    def stop(self) -> None:
        """Wait for a running read, so the database can be closed after this."""
        self._again = False
        self.pool.waitForDone()

    def sorted_by(self, key: str) -> bool:
        """Whether the table is sorted by the column `key`, ascending (the order a first screenful is in)."""
        return self._sort == (self.column(key), Qt.SortOrder.AscendingOrder)

    def show_early(self, early: FirstRows | Rows) -> bool:
        """Show what the start-up read had before the window first paints (on the GUI thread): the first screenful
        (False, and nothing shown, when the table is sorted otherwise) or every row."""
        if isinstance(early, FirstRows):
            if not self.sorted_by(early.sort_key) or not early.records:
                return False
            self.partial = True
            self.set_records(early.records)
            return True
        self._generation += 1
        self.loaded = True
        self._show(self._generation, early)
        return True

    def _first_done(self, generation: int, first: FirstRows | None) -> None:
        """Paint the first screenful, if it is what the whole read will show first (the same sort)."""
        if first is None or self.loaded or generation <= self._shown_generation or not first.records:
            return
        if not self.sorted_by(first.sort_key):
            return  # another order was restored: the whole read's first rows would differ
        self.partial = True
        self.set_records(first.records)
        self.rows_shown.emit()

    def _read_done(self, generation: int, result: Rows | Exception | None) -> None:
        self._job = None
        if not isinstance(result, tuple):  # declined or failed: no whole set follows the first screenful
            self._drop_partial()
        if result is None:
            self.read_declined.emit()
        elif isinstance(result, Exception):
            from renewaltracker.storage.errors import StorageError

            if not isinstance(result, StorageError):
                raise result  # a bug: the crash handler reports it
            log.warning("could not read the subscriptions: %s", result)
            self.read_failed.emit(str(result))
        elif generation > self._shown_generation:
            self.loaded = True
            self._show(generation, result)
            self.rows_shown.emit()
            self.read_finished.emit()
        if self._again:
            self._again = False
            self.load_in_background()

    def _drop_partial(self) -> None:
        if self.partial:
            self.partial = False
            self.set_records([])

    def records(self) -> list[SubscriptionRecord]:
        """Every row's record; none while only the first screenful is in."""
        return [] if self.partial else super().records()

    def _show(self, generation: int, rows: Rows) -> None:
        self.partial = False
        self._shown_generation = generation
        records, self.prices = rows
        self.set_records(records)

    def subscription(self, row: int) -> Subscription:
        return self.record(row).subscription

    def categories(self) -> list[str]:
        return sorted({r.subscription.category for r in self.records() if r.subscription.category}, key=str.casefold)

    def on_changed(self, change: str, subscription_id: Any) -> None:
        """Slot for `DataSignals.changed`: apply one added, edited or deleted subscription."""
        from renewaltracker.services.subscriptions import Change  # loaded by then: changes come from the service

        if change == Change.SETTINGS.value or change == Change.CHARGES.value:
            return
        if self._job is not None:
            self._again = True  # the running read may have missed this change
            return
        if not self.loaded or not isinstance(subscription_id, int):
            if self._background:
                self.load_in_background()
            else:
                self.refresh()
            return
        row = self.row_of_id(subscription_id)
        if change == Change.DELETED.value:
            self.prices.pop(subscription_id, None)
            if row is not None:
                self._remove_row(row)
            return
        service = self._service()
        try:
            subscription = service.get(subscription_id)
            history = service.prices(subscription_id)
        except NotFoundError:
            return
        if history:
            self.prices[subscription_id] = history
        else:
            self.prices.pop(subscription_id, None)
        record = SubscriptionRecord.of(subscription, service.clock.today(), history)
        if row is None:
            self._insert_record(record)
        else:
            self._replace_row(row, record)


class SubscriptionFilter(QSortFilterProxyModel):
    """Filters by free text, status and category; sorting is delegated to the source model, which is faster."""

    filter_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._search = ""
        self._status: Status | None = None
        self._category: str | None = None

    def set_search(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_search", text.strip().casefold()))

    def set_status(self, status: Status | None) -> None:
        self._refilter(lambda: setattr(self, "_status", status))

    def set_category(self, category: str | None) -> None:
        self._refilter(lambda: setattr(self, "_category", category))

    def is_filtering(self) -> bool:
        return bool(self._search) or self._status is not None or self._category is not None

    def _refilter(self, change: Any) -> None:
        self.beginFilterChange()
        change()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.filter_changed.emit()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, SubscriptionTableModel):
            return True
        record = model.record(source_row)
        if self._status is not None and record.status is not self._status:
            return False
        if self._category is not None and record.subscription.category != self._category:
            return False
        return all(word in record.search_text for word in self._search.split())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, SubscriptionTableModel):
            model.sort(column, order)
