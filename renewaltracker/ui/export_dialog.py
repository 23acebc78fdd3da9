"""The "Export calendar" dialog: which subscriptions, amounts on or off, expanded mode, and the auto-export file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import _
from renewaltracker.services.auto_export import AutoExporter
from renewaltracker.services.ics_export import CalendarExporter, ExportOptions, Scope
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.plain_text import warn
from renewaltracker.ui.screen_fit import FittedDialog

ICS_FILTER = "iCalendar files (*.ics);;All files (*)"


def _path_row(edit: QLineEdit, browse: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row


class ExportDialog(FittedDialog):
    """Writes an .ics file once, and sets up (or stops) the file kept current after every change."""

    def __init__(self, context: AppContext, selected_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.selected_id = selected_id
        self.written: Path | None = None
        self.events = 0  # in the file written
        self.setWindowTitle(_("Export calendar"))
        self.setObjectName("ExportDialog")
        service = context.service

        which = QGroupBox(_("Subscriptions"))
        self.scope_all = QRadioButton(_("&All"))
        self.scope_active = QRadioButton(_("Ac&tive only (no cancelled or paused)"))
        self.scope_selected = QRadioButton(_("The &selected one"))
        self.scope_selected.setEnabled(selected_id is not None)
        self.scope_all.setChecked(True)
        self.scopes = QButtonGroup(self)
        which_layout = QVBoxLayout(which)
        for button in (self.scope_all, self.scope_active, self.scope_selected):
            self.scopes.addButton(button)
            which_layout.addWidget(button)

        self.amounts = QCheckBox(_("Show a&mounts in the events"))
        self.amounts.setChecked(True)
        self.amounts.setToolTip(_("Leave amounts out when the calendar is shared with others."))
        self.expanded = QCheckBox(_("One event per charge for the next 24 months (for Out&look)"))
        self.expanded.setToolTip(_("For calendar apps that cannot read month-end repeat rules."))

        self.path = QLineEdit(str(Path.home() / "renewals.ics"))
        self.path.setAccessibleName(_("File to write"))
        browse = QPushButton(_("&Browse…"))
        browse.clicked.connect(lambda: self._choose(self.path))

        auto = self.auto_export = QGroupBox(_("Keep a file up to date"))
        self.auto_enabled = QCheckBox(_("&Rewrite this file whenever my data changes"))
        self.auto_path = QLineEdit(service.setting("auto_export_path"))
        self.auto_path.setAccessibleName(_("Auto-export file"))
        self.auto_path.setPlaceholderText(_("e.g. a file in a synced folder your phone's calendar subscribes to"))
        self.auto_enabled.setChecked(bool(self.auto_path.text().strip()))
        auto_browse = QPushButton(_("Br&owse…"))
        auto_browse.clicked.connect(lambda: self._choose(self.auto_path))
        auto_layout = QVBoxLayout(auto)
        auto_layout.addWidget(self.auto_enabled)
        auto_layout.addLayout(_path_row(self.auto_path, auto_browse))
        note = QLabel(_("It uses the amount and Outlook choices above, and all or active subscriptions."))
        note.setWordWrap(True)
        auto_layout.addWidget(note)
        if self.auto_enabled.isChecked():
            self.amounts.setChecked(bool(service.setting("auto_export_amounts")))
            self.expanded.setChecked(bool(service.setting("auto_export_expanded")))
            self.scope_active.setChecked(service.setting("auto_export_scope") == "active")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(_("&Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(which)
        layout.addWidget(self.amounts)
        layout.addWidget(self.expanded)
        layout.addWidget(QLabel(_("Export to:")))
        layout.addLayout(_path_row(self.path, browse))
        layout.addWidget(auto)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _choose(self, edit: QLineEdit) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(self, _("Calendar file"), edit.text(), ICS_FILTER)
        if chosen:
            edit.setText(chosen if chosen.endswith(".ics") else chosen + _(".ics"))

    def options(self) -> ExportOptions:
        ids: tuple[int, ...] = ()
        if self.scope_selected.isChecked() and self.selected_id is not None:
            scope, ids = Scope.SELECTED, (self.selected_id,)
        else:
            scope = Scope.ACTIVE if self.scope_active.isChecked() else Scope.ALL
        return ExportOptions(
            scope=scope, ids=ids, include_amounts=self.amounts.isChecked(), expanded=self.expanded.isChecked()
        )

    def export(self) -> Path:
        """Write the chosen file and save the auto-export choice (when it can be saved); raises OSError when the file
        cannot be written, ValidationError when the selected renewal is gone."""
        path = Path(self.path.text().strip()).expanduser()
        # Held disabled once the window can no longer write to its database (ui/read_only.py): the file is still
        # written, but neither the auto-export choice nor a first export's event identities are saved.
        saving = self.auto_export.isEnabled()
        data = CalendarExporter(self.context.service).export_to(path, self.options(), keep=saving)
        self.events = data.count(b"BEGIN:VEVENT")
        if saving:
            self.save_auto_export()
        return path

    def save_auto_export(self) -> None:
        service = self.context.service
        target = self.auto_path.text().strip() if self.auto_enabled.isChecked() else ""
        options = self.options()
        service.set_settings(
            {
                "auto_export_amounts": "true" if options.include_amounts else "false",
                "auto_export_expanded": "true" if options.expanded else "false",
                "auto_export_scope": "active" if options.scope is Scope.ACTIVE else "all",
                "auto_export_path": target,
            }
        )
        if target:
            AutoExporter(service).export_now()

    def accept(self) -> None:
        if not self.path.text().strip():
            warn(self, _("Export calendar"), _("Choose a file to export to."))
            return
        try:
            path = self.export()
        except OSError as error:
            warn(
                self,
                _("Export calendar"),
                _("Could not write {text}: {strerror}").format(text=self.path.text(), strerror=error.strerror),
            )
            return
        except ValidationError as error:  # the selected renewal was deleted elsewhere while the dialog was open
            warn(self, _("Export calendar"), _("Not exported: {error}").format(error=error.problem))
            return
        self.written = path
        super().accept()
