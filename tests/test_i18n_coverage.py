"""Every text the window hands to Qt is marked for translation: a literal passed straight to a Qt text API
(setText, setWindowTitle, QLabel("…"), QMessageBox.warning(…), Column("…"), addTab(…, "…") …) must be wrapped in
_() or, for texts translated when shown (table headers), N_()."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parent.parent / "renewaltracker" / "ui"

# Methods and constructors whose string arguments the user reads.
TEXT_METHODS = frozenset(
    {
        "setText",
        "setWindowTitle",
        "setToolTip",
        "setPlaceholderText",
        "setStatusTip",
        "setWhatsThis",
        "setTitle",
        "setLabelText",
        "setInformativeText",
        "setDetailedText",
        "setSpecialValueText",
        "setSuffix",
        "setPrefix",
        "addAction",
        "addMenu",
        "addTab",
        "insertTab",
        "setTabText",
        "addRow",
        "addButton",
        "showMessage",
        "setHorizontalHeaderLabels",
        "critical",
        "warning",
        "information",
        "question",
        "about",
        "getText",
        "getItem",
        "getSaveFileName",
        "getOpenFileName",
        "getExistingDirectory",
    }
)
TEXT_CONSTRUCTORS = frozenset(
    {
        "QAction",
        "QLabel",
        "QPushButton",
        "QCheckBox",
        "QRadioButton",
        "QGroupBox",
        "QToolButton",
        "QMenu",
        "QMessageBox",
        "Column",
    }
)
MARKERS = frozenset({"_", "N_", "ngettext"})

# A literal with no letters (an empty string, "…", "—", "%", "0.00") says nothing to translate.
_NO_WORDS = re.compile(r"^[^A-Za-z]*$")

# Texts that are deliberately not translated, each with its reason: (file name, text).
ALLOWED = {
    # The product's name is the same in every language.
    ("app.py", "Renewal Tracker"),
    # File-dialog filters are glob patterns; the leading word is translated separately where it matters.
    ("export_dialog.py", "iCalendar (*.ics)"),
}


# Log messages stay in English: they are read by whoever fixes the problem, not shown in the window.
_LOGGERS = frozenset({"log", "logger", "logging"})


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        if isinstance(func.value, ast.Name) and func.value.id in _LOGGERS:
            return ""
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _unmarked(node: ast.expr) -> list[ast.expr]:
    """The string literals in an argument that reach Qt unmarked (looking through conditionals and joins)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [] if _NO_WORDS.match(node.value) else [node]
    if isinstance(node, ast.JoinedStr):
        literal = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
        return [] if _NO_WORDS.match(literal) else [node]
    if isinstance(node, ast.IfExp):
        return _unmarked(node.body) + _unmarked(node.orelse)
    if isinstance(node, ast.BinOp):
        return _unmarked(node.left) + _unmarked(node.right)
    return []


def _literal_text(node: ast.expr) -> str:
    return node.value if isinstance(node, ast.Constant) else ast.unparse(node)


def unmarked_texts(source: str, file_name: str) -> list[str]:
    """`file:line: text` for each unmarked user-visible literal in one module's source."""
    found = []
    for call in ast.walk(ast.parse(source)):
        if not isinstance(call, ast.Call):
            continue
        name = _called_name(call)
        if name not in TEXT_METHODS and name not in TEXT_CONSTRUCTORS:
            continue
        arguments = [*call.args, *(keyword.value for keyword in call.keywords if keyword.arg != "key")]
        for argument in arguments:
            for literal in _unmarked(argument):
                text = _literal_text(literal)
                if (file_name, text) not in ALLOWED:
                    found.append(f"{file_name}:{literal.lineno}: {text!r}")
    return found


def test_every_text_the_window_shows_is_marked_for_translation() -> None:
    problems = [
        problem
        for module in sorted(UI.glob("*.py"))
        for problem in unmarked_texts(module.read_text(encoding="utf-8"), module.name)
    ]
    assert problems == [], "unmarked user-visible texts (wrap them in _()):\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('label.setText("Save")', ["x.py:1: 'Save'"]),
        ('QLabel(f"Due {when}")', ["x.py:1: \"f'Due {when}'\""]),
        ('QMessageBox.warning(self, "Oops", _("Bad"))', ["x.py:1: 'Oops'"]),
        ('button.setToolTip("A" if ok else _("B"))', ["x.py:1: 'A'"]),
        ('Column("Name", text)', ["x.py:1: 'Name'"]),
        ('label.setText(_("Save"))', []),
        ('Column(N_("Name"), text, key="name")', []),
        ('label.setText("")', []),
        ('label.setText("— …")', []),
        ('label.setObjectName("name")', []),
        ('log.warning("cannot listen on %s", name)', []),
    ],
)
def test_the_scan_finds_unmarked_literals_and_only_those(source: str, expected: list[str]) -> None:
    assert unmarked_texts(source, "x.py") == expected
