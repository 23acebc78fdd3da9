"""The import preview: a table model over the parsed events, with the mapping editable before anything is written."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.dates import format_field_date, read_date
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.interval import parse_interval
from renewaltracker.i18n import N_, _, ngettext
from renewaltracker.services.ics_import import CalendarImporter, ImportPreview, ImportResult, ImportRow, RowAction
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.plain_text import plain_label, warn
from renewaltracker.ui.screen_fit import FittedDialog
from renewaltracker.ui.table_model import Column, RecordTableModel

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (
    N_("Import"),
    N_("What happens"),
    N_("Name"),
    N_("Amount"),
    N_("Currency"),
    N_("Every"),
    N_("First charge"),
    N_("Ends"),
    N_("Notes"),
)
INCLUDE, ACTION, NAME, AMOUNT, CURRENCY, EVERY, START, ENDS, NOTE = range(len(COLUMNS))
EDITABLE = {NAME: "name", AMOUNT: "amount", CURRENCY: "currency", EVERY: "every"}
_ACTION_TEXT = {
    RowAction.ADD: N_("new"),
    RowAction.UPDATE: N_("update"),
    RowAction.UNCHANGED: N_("unchanged"),
    RowAction.SKIP: N_("skipped"),
}


class ImportPreviewModel(RecordTableModel[ImportRow]):
    """Rows of an ImportPreview; edits go straight into the rows, which are applied only on "Import"."""

    def __init__(
        self, preview: ImportPreview, parent: QWidget | None = None, formatter: Formatter | None = None
    ) -> None:
        """`formatter` writes the dates (the window's; None: the desktop's, in the interface language)."""
        columns = [
            Column(header, partial(self._text, column=position), numeric=position == AMOUNT)
            for position, header in enumerate(COLUMNS)
        ]
        super().__init__(columns, parent=parent)
        self.formatter = formatter or Formatter.system()
        self.preview = preview
        self.set_records(preview.rows)  # the same row objects: an edit here is an edit of the preview

    def row(self, index: Index) -> ImportRow:
        return self.record(index.row())

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self.row(index)
        open_row = row.action in (RowAction.ADD, RowAction.UPDATE)
        if index.column() == INCLUDE and row.action is not RowAction.SKIP:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if open_row and (index.column() in EDITABLE or index.column() == START):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row(index)
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == INCLUDE:
            return Qt.CheckState.Checked if row.include else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.EditRole and column == START:
            return format_field_date(row.start, self.formatter.locale) if row.start else ""  # as typed in a date field
        if role == Qt.ItemDataRole.DisplayRole and column == EVERY and row.action is not RowAction.SKIP:
            return self._cycle(row.every)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == NOTE and row.problem():
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.BackgroundRole and column == AMOUNT and row.include and not row.amount.strip():
            return QBrush(QColor("#fde7e9"))  # points at the cell to fill in
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.problem() or row.note or row.summary
        if role == Qt.ItemDataRole.TextAlignmentRole and column == AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _cycle(self, every: str) -> str:
        """The cycle as the rest of the window words it ("Monatlich"); what cannot be read is shown as it is, for
        the note beside it to say why (editing shows the text to correct)."""
        try:
            return self.formatter.cycle(parse_interval(every))
        except ValidationError:
            return every

    def _text(self, row: ImportRow, column: int) -> str:
        if column == INCLUDE:
            return ""
        if column == ACTION:
            return _(_ACTION_TEXT[row.action]) if row.include or row.action is not RowAction.ADD else _("left out")
        if row.action is RowAction.SKIP and column in (CURRENCY, EVERY):
            return ""  # a guess for an event that is not imported would only mislead
        if column in EDITABLE:
            return str(getattr(row, EDITABLE[column]))
        if column == START:
            return self.formatter.date(row.start)
        if column == ENDS:
            return row.ends(self.formatter.date)
        return row.problem() or row.note

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not self.flags(index) & (
            Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable
        ):
            return False
        row = self.row(index)
        column = index.column()
        if column == INCLUDE and role == Qt.ItemDataRole.CheckStateRole:
            row.include = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif column in EDITABLE:
            setattr(row, EDITABLE[column], str(value).strip())
        elif column == START:
            try:
                row.start = read_date(str(value).strip(), self.formatter.locale, "start")
            except ValidationError:
                return False
        else:
            return False
        # The action and notes columns follow from the edit.
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1))
        return True


class ImportPreviewDialog(FittedDialog):
    """Shows what an .ics file holds; "Import" writes the ticked rows in one step, or nothing."""

    def __init__(
        self,
        importer: CalendarImporter,
        preview: ImportPreview,
        parent: QWidget | None = None,
        formatter: Formatter | None = None,
    ) -> None:
        super().__init__(parent)
        self.importer = importer
        self.outcome: ImportResult | None = None
        self.setWindowTitle(_("Import calendar") + (f" — {preview.calendar_name}" if preview.calendar_name else ""))
        self.setObjectName("ImportPreviewDialog")
        self.model = ImportPreviewModel(preview, self, formatter)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Events found in the file"))
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)
        explanation = QLabel(
            _(
                "Untick what you do not want. Double-click a name, amount, currency, cycle or date to correct it. "
                "Events that do not repeat are left out."
            )
        )
        explanation.setWordWrap(True)
        self.status = plain_label()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(_("&Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.model.dataChanged.connect(self._update_status)
        self._update_status()
        self.resize(920, 340)

    def _update_status(self) -> None:
        preview = self.model.preview
        problems = preview.problems()
        count = len(preview.importable())
        if problems:
            self.status.setText(
                ngettext(
                    "Fix or untick {count} row first. {value}",
                    "Fix or untick {count} rows first. {value}",
                    len(problems),
                ).format(count=len(problems), value=problems[0])
            )
        else:
            unchanged = sum(1 for row in preview.rows if row.action is RowAction.UNCHANGED)
            extra = _("; {count} already up to date").format(count=unchanged) if unchanged else ""
            if preview.dropped:  # items sharing a key with an earlier one: counted and named, never silently lost
                extra += _("; {count} skipped (same key as an earlier item): {keys}").format(
                    count=len(preview.dropped), keys=", ".join(preview.dropped)
                )
            self.status.setText(
                ngettext(
                    "{count} subscription will be imported{extra}.",
                    "{count} subscriptions will be imported{extra}.",
                    count,
                ).format(count=count, extra=extra)
            )
        self.import_button.setEnabled(count > 0 and not problems)

    def accept(self) -> None:
        try:
            self.outcome = self.importer.apply(self.model.preview)
        except ValidationError as error:
            warn(self, _("Import calendar"), _("Nothing was imported: {error}").format(error=error_text(error)))
            return
        super().accept()


def open_import(
    context_parent: QWidget, importer: CalendarImporter, path: Path | None = None, formatter: Formatter | None = None
) -> ImportResult | None:
    """Ask for a file (unless given), show its preview (its dates as `formatter` writes them) and import what the
    user confirms."""
    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            context_parent, _("Import calendar"), str(Path.home()), _("iCalendar files (*.ics);;All files (*)")
        )
        if not chosen:
            return None
        path = Path(chosen)
    try:
        preview = importer.preview_file(path)
    except ValidationError as error:
        warn(context_parent, _("Import calendar"), f"{path.name}: {error.problem}")
        return None
    dialog = ImportPreviewDialog(importer, preview, context_parent, formatter)
    dialog.exec()
    return dialog.outcome
