"""The crash report dialog: the report in a read-only text box with a "Copy report" button."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialogButtonBox, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from renewaltracker import APP_NAME
from renewaltracker.i18n import _
from renewaltracker.ui.plain_text import plain_label
from renewaltracker.ui.screen_fit import FittedDialog


class CrashDialog(FittedDialog):
    """The report in a read-only text box with a "Copy report" button; opened without blocking."""

    def __init__(self, summary: str, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("{APP_NAME}: unexpected error").format(APP_NAME=APP_NAME))
        self.message = plain_label(
            self,
            _(
                "Something went wrong: {summary}\nYour data is safe; the last action may not have been saved. The "
                "details are in the log; copy the report below to report the problem."
            ).format(summary=summary),
        )
        self.message.setWordWrap(True)
        self.report = QPlainTextEdit(report, self)
        self.report.setReadOnly(True)
        self.report.setAccessibleName(_("Error report"))
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(_("&Copy report"), self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        self.resize(640, 400)

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report.toPlainText())
