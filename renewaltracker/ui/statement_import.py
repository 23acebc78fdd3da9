"""File → Import bank statement…: the column mapping on the first rows, then the recurring charges found, to tick.

Reading and detection run on the thread pool (a big statement takes seconds); the dialog only shows and writes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.amounts import read_amount
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.recurring import Candidate
from renewaltracker.i18n import N_, _, clauses, ngettext
from renewaltracker.services.statement_csv import DATE_FORMATS, ROLES, CsvMapping, sniff
from renewaltracker.services.statement_files import MAX_STATEMENT_BYTES, StatementFormat, detect_format
from renewaltracker.services.statement_import import (
    ImportResult,
    PriceChanged,
    Review,
    StatementImporter,
    subscription_from,
)
from renewaltracker.storage.errors import StorageError
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.plain_text import plain_box, plain_label, warn
from renewaltracker.ui.screen_fit import FittedDialog
from renewaltracker.ui.table_model import Column, RecordTableModel

if TYPE_CHECKING:
    from renewaltracker.ui.main_window import MainWindow

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (
    N_("Import"),
    N_("Name"),
    N_("Amount"),
    N_("Currency"),
    N_("Every"),
    N_("Next charge"),
    N_("Charges"),
    N_("Confidence"),
)
INCLUDE, NAME, AMOUNT, CURRENCY, EVERY, NEXT, CHARGES, CONFIDENCE = range(len(COLUMNS))
NO_COLUMN = "(none)"
CHUNK = 1 << 20


class Cancelled(Exception):
    """Raised inside the worker when the user pressed Cancel."""


@dataclass
class CandidateRow:
    """One candidate as the user edits it: ticked or not, its name and amount as typed."""

    candidate: Candidate
    include: bool = True
    name: str = ""
    amount: str = ""

    def edited(self) -> Candidate:
        """The candidate with the user's name and amount (the amount already checked by `setData`)."""
        return replace(self.candidate, name=self.name.strip() or self.candidate.name, amount=Decimal(self.amount))


class CandidateModel(RecordTableModel[CandidateRow]):
    """The candidates of a review; ticks and edits stay in the rows until "Import"."""

    def __init__(
        self, formatter: Formatter, parent: QObject | None = None, today: Callable[[], date] | None = None
    ) -> None:
        columns = [
            Column(header, partial(self._text, column=position), numeric=position in (AMOUNT, CHARGES, CONFIDENCE))
            for position, header in enumerate(COLUMNS)
        ]
        super().__init__(columns, parent=parent)
        self.formatter = formatter
        # "Next charge" as the saved plan will have it: an older statement's next date may be past already.
        self.today = today

    @property
    def rows(self) -> list[CandidateRow]:
        return self._records

    def set_candidates(self, candidates: list[Candidate]) -> None:
        self.set_records([CandidateRow(c, True, c.name, str(c.amount)) for c in candidates])

    def remove(self, row: int) -> CandidateRow:
        removed = self.record(row)
        self._remove_row(row)
        return removed

    def accepted(self) -> list[Candidate]:
        return [row.edited() for row in self.rows if row.include]

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == INCLUDE:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if index.column() in (NAME, AMOUNT):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == INCLUDE:
            return Qt.CheckState.Checked if row.include else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (AMOUNT, CHARGES, CONFIDENCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            found = row.candidate
            f = self.formatter
            lines = [f"{f.date(t.date)}  {f.money(abs(t.amount), t.currency)}  {t.payee}" for t in found.transactions]
            changes = [
                _("price change on {day}: {old} → {new}").format(
                    day=f.date(c.on), old=f.money(c.old, found.currency), new=f.money(c.new, found.currency)
                )
                for c in found.price_changes
            ]
            ended = [_("no charge lately: will be saved as cancelled")] if found.ended else []
            return "\n".join([_("Payee: {payee}").format(payee=found.key), *changes, *ended, *lines[-12:]])
        return None

    def _next(self, found: Candidate) -> date | None:
        if self.today is None:
            return found.next_date
        return subscription_from(found).next_charge(self.today())

    def _text(self, row: CandidateRow, column: int) -> str:
        found = row.candidate
        every = self.formatter.cycle(found.interval)
        texts = {
            INCLUDE: "",
            NAME: row.name,
            AMOUNT: self.formatter.typed_amount(Decimal(row.amount)),
            CURRENCY: found.currency,
            EVERY: _("{every} (ended)").format(every=every) if found.ended else every,
            NEXT: "" if found.ended else self.formatter.date(self._next(found)),
            CHARGES: str(len(found.transactions)),
            CONFIDENCE: self.formatter.share(found.confidence),
        }
        return texts[column]

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        row = self.rows[index.row()]
        column = index.column()
        if column == INCLUDE and role == Qt.ItemDataRole.CheckStateRole:
            row.include = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif column == NAME and str(value).strip():
            row.name = str(value).strip()
        elif column == AMOUNT:
            try:
                # Read as it is shown and typed: in the locale, with the currency's own decimals ("1,299" dinars).
                amount = read_amount(
                    str(value), "amount", locale=self.formatter.locale, currency=row.candidate.currency
                ).value
            except ValidationError:
                return False
            if amount <= 0:
                return False
            row.amount = str(amount)
        else:
            return False
        self.dataChanged.emit(index, index)
        return True


@dataclass(frozen=True)
class StatementRequest:
    """What the worker reads: a file, with the user's corrections to its CSV mapping (none the first time)."""

    path: Path
    columns: dict[str, str] | None = None
    date_format: str | None = None
    decimal_comma: bool | None = None


@dataclass(frozen=True)
class StatementOutcome:
    """What the worker found: the review, and for a CSV the mapping used with the header and first rows."""

    review: Review
    mapping: CsvMapping | None
    header: list[str]
    rows: list[list[str]]


class _Signals(QObject):
    progress = Signal(int, str)  # percent, what is being done
    done = Signal(object)  # StatementOutcome, or an error message (str), or None when cancelled


class StatementJob(QRunnable):
    """Reads and analyses a statement on the thread pool; `cancel()` sets a flag its loops check."""

    def __init__(self, importer: StatementImporter, request: StatementRequest) -> None:
        super().__init__()
        self.importer = importer
        self.request = request
        self.signals = _Signals()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def _check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled

    def run(self) -> None:
        try:
            result: object = self._work()
        except Cancelled:
            result = None
        except ValidationError as error:
            result = error_text(error)
        except StorageError as error:
            result = f"{self.request.path}: {error_text(error)}"
        self.signals.done.emit(result)

    def _read(self) -> bytes:
        path = self.request.path
        try:
            size = path.stat().st_size
            if size > MAX_STATEMENT_BYTES:
                raise ValidationError(
                    str(path), _("is larger than {megabytes} MB").format(megabytes=MAX_STATEMENT_BYTES // 2**20)
                )
            chunks: list[bytes] = []
            with path.open("rb") as handle:
                while chunk := handle.read(CHUNK):
                    self._check()
                    chunks.append(chunk)
                    self.signals.progress.emit(int(20 * sum(map(len, chunks)) / max(size, 1)), _("Reading the file…"))
        except OSError as error:
            raise ValidationError(str(path), _("cannot be read: {strerror}").format(strerror=error.strerror)) from None
        return b"".join(chunks)

    def _work(self) -> StatementOutcome:
        request = self.request
        data = self._read()

        def parsed(done: int, total: int) -> None:
            self._check()
            self.signals.progress.emit(20 + int(60 * done / max(total, 1)), _("Reading the transactions…"))

        statement = self.importer.read(
            data,
            str(request.path),
            columns=request.columns,
            date_format=request.date_format,
            decimal_comma=request.decimal_comma,
            progress=parsed,
        )
        self._check()
        self.signals.progress.emit(80, _("Looking for recurring charges…"))
        review = self.importer.review(statement)
        self._check()
        header: list[str] = []
        rows: list[list[str]] = []
        if detect_format(data) is StatementFormat.CSV:
            preview = sniff(data)
            header, rows = preview.header, preview.rows
        self.signals.progress.emit(100, _("Done"))
        return StatementOutcome(review, statement.mapping, header, rows)


# The column roles as the form names them; the keys are the CLI's --map names.
ROLE_LABELS = {
    "date": N_("Date"),
    "amount": N_("Amount"),
    "debit": N_("Debit"),
    "credit": N_("Credit"),
    "payee": N_("Payee"),
    "memo": N_("Memo"),
    "reference": N_("Reference"),
    "kind": N_("Kind"),
    "currency": N_("Currency"),
}


class MappingPanel(QGroupBox):
    """One combo per role over the file's columns, the date format and the decimal comma, above the first rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_("Columns"), parent)
        self.roles: dict[str, QComboBox] = {}
        form = QFormLayout()
        grid = QHBoxLayout()
        for number, role in enumerate(ROLES):
            combo = QComboBox(self)
            # A long column name ("Auftraggeber / Begünstigter") widened every combo and the dialog past a small
            # screen; the list still opens as wide as its names.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            combo.setAccessibleName(_("{role} column").format(role=_(ROLE_LABELS.get(role, role))))
            self.roles[role] = combo
            if number % 3 == 0:
                form = QFormLayout()
                grid.addLayout(form)
            form.addRow(_(ROLE_LABELS.get(role, role)), combo)
        self.date_format = QComboBox(self)
        self.date_format.setEditable(True)
        self.date_format.addItems(DATE_FORMATS)
        self.date_format.setAccessibleName(_("Date format"))
        self.decimal_comma = QCheckBox(_("Decimal &comma (1.234,56)"), self)
        self.apply = QPushButton(_("&Read again with these columns"), self)
        last = QFormLayout()
        last.addRow(_("Date format"), self.date_format)
        last.addRow(self.decimal_comma)
        last.addRow(self.apply)
        grid.addLayout(last)
        self.rows = QTableWidget(self)
        self.rows.setAccessibleName(_("First rows of the file"))
        self.rows.verticalHeader().setVisible(False)
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rows.setMaximumHeight(140)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.rows)

    def show_mapping(self, mapping: CsvMapping, header: list[str], rows: list[list[str]]) -> None:
        for role, combo in self.roles.items():
            combo.clear()
            combo.addItems([NO_COLUMN, *header])
            combo.setCurrentText(mapping.columns.get(role, NO_COLUMN))
        self.date_format.setCurrentText(mapping.date_format)
        self.decimal_comma.setChecked(mapping.decimal_comma)
        self.rows.clear()
        self.rows.setColumnCount(len(header))
        self.rows.setHorizontalHeaderLabels(header)
        self.rows.setRowCount(min(len(rows), 5))
        for r, row in enumerate(rows[:5]):
            for c, cell in enumerate(row[: len(header)]):
                self.rows.setItem(r, c, QTableWidgetItem(cell))
        self.rows.resizeColumnsToContents()

    def columns(self) -> dict[str, str]:
        chosen = {role: combo.currentText() for role, combo in self.roles.items()}
        return {role: column for role, column in chosen.items() if column and column != NO_COLUMN}


class StatementImportDialog(FittedDialog):
    """Pick a file, check its columns, tick the subscriptions found, import them in one transaction."""

    finished_reading = Signal()  # after each read, successful or not (tests wait on it)

    def __init__(
        self,
        importer: StatementImporter,
        formatter: Formatter,
        pool: QThreadPool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.importer = importer
        self.pool = pool
        self.setWindowTitle(_("Import bank statement"))
        self.setObjectName("StatementImportDialog")
        self.path: Path | None = None
        self.outcome: StatementOutcome | None = None
        self.imported: ImportResult | None = None
        self.job: StatementJob | None = None
        self.dismissed: list[Candidate] = []
        self.file_label = plain_label(text=_("No file chosen."))
        self.choose = QPushButton(_("&Choose file…"))
        self.choose.clicked.connect(self.choose_file)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose)
        self.mapping = MappingPanel(self)
        self.mapping.hide()
        self.mapping.apply.clicked.connect(self.read_again)
        self.model = CandidateModel(formatter, self, importer.service.clock.today)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Subscriptions found in the statement"))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(_("Reading progress"))
        self.cancel_button = QPushButton(_("Cancel &reading"))
        self.cancel_button.clicked.connect(self.cancel_reading)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        self.status = plain_label(text=_("Choose a statement: CSV from any bank, OFX/QFX or camt.053."))
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.dismiss_button = self.buttons.addButton(_("&Dismiss selected"), QDialogButtonBox.ButtonRole.ActionRole)
        self.dismiss_button.setToolTip(_("Not a subscription: it will not be offered again"))
        self.dismiss_button.clicked.connect(self.dismiss_selected)
        self.import_button = self.buttons.addButton(_("&Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.mapping)
        layout.addWidget(QLabel(_("Untick what is not a subscription; double-click a name or amount to correct it.")))
        layout.addWidget(self.table, 1)
        layout.addLayout(progress_row)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.model.dataChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.model.rowsRemoved.connect(self._update_buttons)
        self._set_busy(False)
        self.resize(980, 620)

    # -- reading, off the GUI thread ----------------------------------------
    def choose_file(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import bank statement"),
            str(Path.home()),
            _("Statements (*.csv *.txt *.ofx *.qfx *.xml);;All files (*)"),
        )
        if chosen:
            self.open_file(Path(chosen))

    def open_file(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(str(path))
        self.dismissed = []
        self._start(StatementRequest(path))

    def read_again(self) -> None:
        """Read the same file with the columns, date format and number style shown in the mapping panel."""
        if self.path is None:
            return
        panel = self.mapping
        self._start(
            StatementRequest(
                self.path,
                panel.columns(),
                panel.date_format.currentText().strip() or None,
                panel.decimal_comma.isChecked(),
            )
        )

    def _start(self, request: StatementRequest) -> None:
        self.cancel_reading()
        job = StatementJob(self.importer, request)
        job.signals.progress.connect(self._on_progress)
        job.signals.done.connect(self._on_done)
        self.job = job
        self._set_busy(True)
        self.status.setText(_("Reading…"))
        self.pool.start(job)

    def cancel_reading(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _on_progress(self, percent: int, text: str) -> None:
        if self.job is not None and self.sender() is self.job.signals:
            self.progress.setValue(percent)
            self.status.setText(text)

    def _on_done(self, result: object) -> None:
        if self.job is None or self.sender() is not self.job.signals:
            return  # a read that was replaced by a newer one
        self.job = None
        self._set_busy(False)
        if not isinstance(result, StatementOutcome):
            self.outcome = None
            self.model.set_candidates([])
        if result is None:
            self.status.setText(_("Reading was cancelled; nothing was imported."))
            self.progress.setValue(0)
        elif isinstance(result, str):
            self.status.setText(_("This file cannot be read: {result}").format(result=result))
        elif isinstance(result, StatementOutcome):
            self._show(result)
        self.finished_reading.emit()

    def _show(self, outcome: StatementOutcome) -> None:
        self.outcome = outcome
        if outcome.mapping is not None:
            self.mapping.show_mapping(outcome.mapping, outcome.header, outcome.rows)
            self.mapping.show()
        else:
            self.mapping.hide()
        review = outcome.review
        self.model.set_candidates(review.candidates)
        read, found = len(review.statement.transactions), len(review.candidates)
        parts = [
            ngettext("{count} transaction read", "{count} transactions read", read).format(count=read),
            ngettext("{count} subscription found", "{count} subscriptions found", found).format(count=found),
        ]
        if review.dismissed:
            parts.append(_("{count} dismissed before and not shown").format(count=review.dismissed))
        charges = sum(len(m.transactions) for m in review.matched)
        if charges:
            parts.append(
                ngettext(
                    "{count} charge of subscriptions you track will be added to their history",
                    "{count} charges of subscriptions you track will be added to their history",
                    charges,
                ).format(count=charges)
            )
        f = self.model.formatter
        changes = [
            price_change_text(f, m.name, m.price_change[0], m.price_change[1], m.seen.currency)
            for m in review.matched
            if m.price_change and m.seen is not None
        ]
        if changes:
            parts.append(_("price changed for {changes}").format(changes=", ".join(changes)))
        self.status.setText(clauses(parts) + ".")

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.choose.setEnabled(not busy)
        self.mapping.apply.setEnabled(not busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        busy = self.job is not None
        review = self.outcome.review if self.outcome else None
        has_work = bool(self.model.accepted()) or bool(self.dismissed) or bool(review and review.matched)
        self.import_button.setEnabled(not busy and review is not None and has_work)
        self.dismiss_button.setEnabled(not busy and self.model.rowCount() > 0)

    # -- review and import --------------------------------------------------
    def dismiss_selected(self) -> None:
        """Take the selected candidates off the list; they are remembered as dismissed when importing."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()}, reverse=True)
        for row in rows:
            self.dismissed.append(self.model.remove(row).candidate)

    def accept(self) -> None:
        if self.outcome is None:
            return
        try:
            self.imported = self.importer.apply(self.outcome.review, self.model.accepted(), self.dismissed)
        except (ValidationError, StorageError) as error:
            warn(self, _("Import bank statement"), _("Nothing was imported: {error}").format(error=error_text(error)))
            return
        super().accept()

    def reject(self) -> None:
        self.cancel_reading()
        super().reject()


def price_change_text(formatter: Formatter, name: str, old: Decimal, new: Decimal, currency: str) -> str:
    """ "StreamCo: $9.99 → $12.99", punctuated as the interface language writes it (French spaces the colon)."""
    return _("{name}: {old} → {new}").format(
        name=name, old=formatter.money(old, currency), new=formatter.money(new, currency)
    )


def summary(result: ImportResult, formatter: Formatter) -> str:
    """One sentence for the status bar after an import, its amounts in the interface's language."""
    added = ngettext("{count} subscription", "{count} subscriptions", len(result.added)).format(count=len(result.added))
    charges = ngettext("{count} charge", "{count} charges", result.charges).format(count=result.charges)
    text = _("Imported {subscriptions} and {charges}.").format(subscriptions=added, charges=charges)
    if result.changed:
        changes = [price_change_text(formatter, c.name, c.old, c.new, c.currency) for c in result.changed]
        text += " " + _("Price changed: {changes}.").format(changes=clauses(changes))
    return text


class StatementImportFeature:
    """File → Import bank statement…; `dialog` is the one open (tests reach it here)."""

    def __init__(self, window: MainWindow, pool: QThreadPool) -> None:
        self.window = window
        self.pool = pool
        self.dialog: StatementImportDialog | None = None
        self.notice: QMessageBox | None = None
        # Set by the composition root: opens the price-increase letter of a subscription.
        self.open_price_letter: Callable[[int], None] | None = None
        self.action = QAction(_("Import bank &statement…"), window)
        self.action.setStatusTip(_("Find subscriptions in a bank statement (CSV, OFX, camt.053); nothing leaves here"))
        self.action.triggered.connect(lambda: self.open())

    def create_dialog(self) -> StatementImportDialog:
        importer = StatementImporter(self.window.context.service)
        self.dialog = StatementImportDialog(importer, self.window.formatter, self.pool, self.window)
        return self.dialog

    def open(self, path: Path | None = None) -> None:
        """Ask for a file (unless given), then run the dialog; the status bar says what was imported."""
        dialog = self.create_dialog()
        if path is None:
            dialog.choose_file()
        else:
            dialog.open_file(path)
        if dialog.path is None:
            return
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.imported is not None:
            self.finish(dialog.imported)

    def finish(self, result: ImportResult) -> QMessageBox | None:
        """Say what was imported; a price change gets a notice with its price-increase letter one click away."""
        self.window.statusBar().showMessage(summary(result, self.window.formatter), 10000)
        if not result.changed:
            return None
        self.notice = price_notice(result.changed, self.window.formatter, self.window)
        for change in result.changed:
            if change.is_increase and self.open_price_letter is not None:
                button = self.notice.addButton(
                    # An "&" in the name is shown, not taken as the button's shortcut.
                    _("Draft price-increase letter: {name}").format(name=change.name.replace("&", "&&")),
                    QMessageBox.ButtonRole.ActionRole,
                )
                button.clicked.connect(lambda _checked=False, sid=change.subscription_id: self._letter(sid))
        self.notice.addButton(QMessageBox.StandardButton.Close)
        self.notice.open()
        return self.notice

    def _letter(self, subscription_id: int) -> None:
        if self.open_price_letter is not None:
            self.open_price_letter(subscription_id)


def price_notice(changes: list[PriceChanged], formatter: Formatter, parent: QWidget) -> QMessageBox:
    """The message box listing each price change the import recorded in the price history."""
    lines = [
        _("{name}: {old} → {new} from {date}").format(
            name=change.name,
            old=formatter.money(change.old, change.currency),
            new=formatter.money(change.new, change.currency),
            date=formatter.date(change.on),
        )
        for change in changes
    ]
    text = _("The statement shows a new price for subscriptions you track:") + "\n\n" + "\n".join(lines)
    notice = plain_box(
        QMessageBox.Icon.Information, _("Prices changed"), text, parent, QMessageBox.StandardButton.NoButton
    )
    notice.setObjectName("PriceChangeNotice")
    notice.setInformativeText(_("The new prices are saved in each subscription's price history."))
    return notice


def install(window: MainWindow, pool: QThreadPool | None = None) -> StatementImportFeature:
    """Add File → Import bank statement… above Quit."""
    feature = StatementImportFeature(window, pool or QThreadPool.globalInstance())
    window.menu("file").insertAction(window.quit_action, feature.action)
    return feature
