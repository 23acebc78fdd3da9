"""A drafted letter as a PDF, laid out by Qt's rich-text engine and written by its PDF writer."""

from __future__ import annotations

import html
import os
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from renewaltracker.domain.drafts import Letter

_RESOLUTION = 300  # dots per inch: text drawn as text either way, this only sets layout precision


def _lines(lines: tuple[str, ...] | list[str]) -> str:
    return "<br>".join(html.escape(line) for line in lines)


def letter_html(letter: Letter) -> str:
    """The letter's page: sender top right, recipient left, date, subject in bold, then the body's paragraphs."""
    paragraphs = [p for p in letter.body.split("\n\n") if p.strip()]
    body = "".join(f"<p>{_lines(p.splitlines())}</p>" for p in paragraphs)
    return (
        f'<p align="right">{_lines(letter.sender)}</p>'
        f"<p>{_lines(letter.recipient)}</p>"
        f'<p align="right">{html.escape(letter.date)}</p>'
        f"<p><b>{html.escape(letter.subject)}</b></p>"
        f"{body}"
    )


def _application() -> QGuiApplication:
    """The running application, or a headless one for the command line (fonts need one). A QApplication, so
    that the window (or a test) started later in the same process finds the one it needs."""
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    return QApplication([])


def write_letter_pdf(letter: Letter, path: Path) -> None:
    """Write the letter as an A4 PDF at `path`; raises OSError when the file cannot be written."""
    _application()
    writer = QPdfWriter(str(path))
    writer.setResolution(_RESOLUTION)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(25, 20, 20, 20), QPageLayout.Unit.Millimeter)
    writer.setTitle(letter.subject)
    writer.setCreator("Renewal Tracker")
    document = QTextDocument()
    document.setDefaultStyleSheet("p { margin-bottom: 10px; }")
    document.setHtml(letter_html(letter))
    document.print_(writer)
    del writer  # the file is finished when the writer goes
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"the PDF writer could not write {path}")
