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
        "setAccessibleName",
        "QToolBar",
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
# The window's own helpers that put a text on screen, and which of their positional arguments are texts.
HELPERS: dict[str, tuple[int, ...]] = {
    "action": (0, 4),  # actions.py: action(text, slot, shortcut, icon_name, tip)
    "add_view": (1,),
    "add_detail_tab": (1,),
    "ask_date": (1, 2),
    "ask_item": (1, 2, 3),
    "ask_text": (1, 2),
    "offer": (0,),
    "explain": (0,),
    "plain_label": (1,),  # plain_text.py: plain_label(parent, text), plain_box(icon, title, text, …)
    "plain_box": (1, 2),
    "warn": (1, 2),
    "inform": (1, 2),
    "alarm": (1, 2),
    "confirm": (1, 2),
}
TEXT_KEYWORDS = frozenset({"tip", "title", "text"})

# A literal with no letters (an empty string, "…", "—", "%", "0.00") says nothing to translate.
_NO_WORDS = re.compile(r"^[^A-Za-z]*$")

# Texts that are deliberately not translated, each with its reason: (file name, text).
ALLOWED = {
    # The product's name is the same in every language.
    ("app.py", "Renewal Tracker"),
    ("main_window.py", "Renewal Tracker"),
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


def _text_arguments(call: ast.Call) -> list[ast.expr]:
    name = _called_name(call)
    if name in HELPERS:
        positional = [argument for position, argument in enumerate(call.args) if position in HELPERS[name]]
        return positional + [keyword.value for keyword in call.keywords if keyword.arg in TEXT_KEYWORDS]
    if name in TEXT_METHODS or name in TEXT_CONSTRUCTORS:
        return [*call.args, *(keyword.value for keyword in call.keywords if keyword.arg != "key")]
    return []


def unmarked_literals(tree: ast.AST) -> list[ast.expr]:
    """The user-visible literals that reach Qt unmarked, in one module."""
    return [
        literal
        for call in ast.walk(tree)
        if isinstance(call, ast.Call)
        for argument in _text_arguments(call)
        for literal in _unmarked(argument)
    ]


def unmarked_texts(source: str, file_name: str) -> list[str]:
    """`file:line: text` for each unmarked user-visible literal in one module's source."""
    return [
        f"{file_name}:{literal.lineno}: {_literal_text(literal)!r}"
        for literal in unmarked_literals(ast.parse(source))
        if (file_name, _literal_text(literal)) not in ALLOWED
    ]


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
        (
            'action("&Edit…", slot, "Ctrl+E", "edit", "Edit the selected renewal")',
            ["x.py:1: '&Edit…'", "x.py:1: 'Edit the selected renewal'"],
        ),
        ('log.warning("cannot listen on %s", name)', []),
    ],
)
def test_the_scan_finds_unmarked_literals_and_only_those(source: str, expected: list[str]) -> None:
    assert unmarked_texts(source, "x.py") == expected


# -- the German and French catalogues ------------------------------------------------------------------------
ROOT = UI.parent.parent
CATALOGUES = {
    language: ROOT / "resources" / "locale" / language / "LC_MESSAGES" / "renewaltracker.po"
    for language in ("de", "fr")
}
_PLACEHOLDER = re.compile(r"(?<!\{)\{[A-Za-z_][A-Za-z_0-9]*(?:![rsa])?(?::[^{}]*)?\}")  # {name}, {text!r}, {limit:,}


def _messages(language: str) -> list[tuple[str | tuple[str, ...], str | tuple[str, ...]]]:
    from babel.messages.pofile import read_po

    with CATALOGUES[language].open("rb") as data:
        return [(message.id, message.string) for message in read_po(data) if message.id]


def _texts(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_message_of_the_catalogue_is_translated_with_its_placeholders(language: str) -> None:
    problems = []
    for msgid, msgstr in _messages(language):
        wanted = {name for text in _texts(msgid) for name in _PLACEHOLDER.findall(text)}
        plural = not isinstance(msgid, str)
        for translation in _texts(msgstr):
            if not translation:
                problems.append(f"untranslated: {msgid!r}")
            # A singular form may leave the number out ("Jeden Monat" for "Every {count} month").
            elif not (
                set(_PLACEHOLDER.findall(translation)) <= wanted
                if plural
                else set(_PLACEHOLDER.findall(translation)) == wanted
            ):
                problems.append(f"placeholders differ: {msgid!r} -> {translation!r}")
    assert problems == []


@pytest.mark.parametrize("language", sorted(CATALOGUES))
def test_every_marked_message_is_in_the_catalogue(language: str) -> None:
    """The catalogue was updated after the last marked message was added (`extract`, then `update`)."""
    from babel.messages.extract import extract_from_dir

    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    marked = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(str(ROOT / "renewaltracker"), keywords=keywords)
    }
    known = {msgid if isinstance(msgid, str) else msgid[0] for msgid, _msgstr in _messages(language)}
    assert sorted(marked - known) == []


def test_the_german_window_speaks_german() -> None:
    from renewaltracker.i18n import _, install_language
    from renewaltracker.ui.formatting import STATUS_LABELS

    try:
        install_language("de")
        assert _("&File") == "&Datei"
        assert _(STATUS_LABELS[next(iter(STATUS_LABELS))]) == "Aktiv"
    finally:
        install_language("en")


def test_the_french_window_speaks_french_with_its_plural_rule() -> None:
    """French counts 0 and 1 as singular (plural=(n > 1)), not CLDR's three forms that Babel writes by default."""
    from renewaltracker.i18n import _, install_language, ngettext

    try:
        install_language("fr")
        assert _("&File") == "&Fichier"
        assert [ngettext("{count} charge", "{count} charges", n) for n in (0, 1, 2)] == [
            "{count} prélèvement",
            "{count} prélèvement",
            "{count} prélèvements",
        ]
    finally:
        install_language("en")


def test_french_punctuation_keeps_its_non_breaking_space() -> None:
    """A plain space before : ; ? ! or inside « » lets a line break strand the mark; French uses U+00A0."""
    loose = [
        translation
        for _msgid, msgstr in _messages("fr")
        for translation in _texts(msgstr)
        if re.search(r" [:;?!»]|« ", translation)
    ]
    assert loose == []


# A calendar entry in German is a "Termin", as German calendar apps call it; "Ereignis" beside it would read as
# something else. Placeholders ({event}: the kind of a date) are not the word.
_EVENT_WORD = re.compile(r"\bevents?\b", re.IGNORECASE)
_GERMAN_ENTRY_WORDS = {"Termin": re.compile(r"\bTermin(?:e|en|s)?\b"), "Ereignis": re.compile(r"Ereignis")}


def test_german_calls_a_calendar_entry_termin_and_nothing_else() -> None:
    used: dict[str, list[str]] = {word: [] for word in _GERMAN_ENTRY_WORDS}
    unnamed = []
    for msgid, msgstr in _messages("de"):
        if not any(_EVENT_WORD.search(_PLACEHOLDER.sub("", text)) for text in _texts(msgid)):
            continue
        translations = _texts(msgstr)
        for word, pattern in _GERMAN_ENTRY_WORDS.items():
            used[word] += [text for text in translations if pattern.search(text)]
        unnamed += [text for text in translations if not _GERMAN_ENTRY_WORDS["Termin"].search(text)]
    assert used["Termin"] and used["Ereignis"] == []
    assert unnamed == []


# -- the command line ----------------------------------------------------------------------------------------
CLI = UI.parent / "cli"
# The streams a command writes its human-readable answer to.
_STREAMS = frozenset({"out", "err", "stdout", "stderr"})

# CLI texts deliberately not translated, each with its reason: (file name, text).
CLI_ALLOWED: dict[tuple[str, str], str] = {
    ("x.py", "renewaltracker"): "the program's name is the same in every language (also the scan's own example)",
}


def _is_json(text: str) -> bool:
    """A literal that is JSON (machine-readable output) is the same in every language."""
    import json

    try:
        json.loads(text)
    except ValueError:
        return False
    return text.strip()[:1] in ("{", "[")


def _cli_unmarked(node: ast.expr) -> list[ast.expr]:
    """Like `_unmarked`, and a "…{x}…".format(…) on an unmarked literal counts as that literal."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant | ast.JoinedStr)
    ):
        return _unmarked(node.func.value)
    if isinstance(node, ast.BinOp):
        return _cli_unmarked(node.left) + _cli_unmarked(node.right)
    if isinstance(node, ast.IfExp):
        return _cli_unmarked(node.body) + _cli_unmarked(node.orelse)
    return [literal for literal in _unmarked(node) if not _is_json(_literal_text(literal))]


_HELP_KEYWORDS = frozenset({"help", "description", "epilog"})


def _cli_text_arguments(call: ast.Call) -> list[ast.expr]:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "write":
        stream = func.value
        if (isinstance(stream, ast.Attribute) and stream.attr in _STREAMS) or (
            isinstance(stream, ast.Name) and stream.id in _STREAMS
        ):
            return list(call.args)
    # argparse's texts: every `help=`, `description=` and `epilog=` shows in `--help`.
    helps = [keyword.value for keyword in call.keywords if keyword.arg in _HELP_KEYWORDS]
    if helps:
        return helps
    # print_table's headers when written in place; a headers variable is checked where it is built by review.
    if isinstance(func, ast.Name) and func.id == "print_table" and call.args:
        headers = call.args[0]
        return list(headers.elts) if isinstance(headers, ast.Tuple | ast.List) else []
    return []


def cli_unmarked_texts(source: str, file_name: str) -> list[str]:
    """`file:line: text` for each unmarked literal a command writes to its output or error stream."""
    return [
        f"{file_name}:{literal.lineno}: {_literal_text(literal)!r}"
        for call in ast.walk(ast.parse(source))
        if isinstance(call, ast.Call)
        for argument in _cli_text_arguments(call)
        for literal in _cli_unmarked(argument)
        if (file_name, _literal_text(literal)) not in CLI_ALLOWED
    ]


def test_every_text_the_cli_writes_is_marked_for_translation() -> None:
    problems = [
        problem
        for module in [*sorted(CLI.glob("*.py")), CLI.parent / "options.py"]  # options.py: the global options
        for problem in cli_unmarked_texts(module.read_text(encoding="utf-8"), module.name)
    ]
    assert problems == [], "unmarked CLI texts (wrap them in _() or list them in CLI_ALLOWED):\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('ctx.out.write("Nothing to do.\\n")', ["x.py:1: 'Nothing to do.\\n'"]),
        ('ctx.err.write(f"{prog}: no such id {n}\\n")', ["x.py:1: \"f'{prog}: no such id {n}\\\\n'\""]),
        ('out.write("Saved {n}".format(n=n) + "\\n")', ["x.py:1: 'Saved {n}'"]),
        ('print_table(("Name", _("Amount")), rows, ctx.out)', ["x.py:1: 'Name'"]),
        ('ctx.out.write(_("Saved {n}").format(n=n) + "\\n")', []),
        ('ctx.out.write(f"{key}  {value}\\n")', []),
        ('ctx.out.write("{\\"ok\\": true}\\n")', []),
        ('ctx.out.write("renewaltracker")', []),
        ('handle.write("Not a stream the user reads")', []),
        ("print_table(columns, rows, ctx.out)", []),
        ('parser.add_argument("--name", help="what renews")', ["x.py:1: 'what renews'"]),
        ('commands.add_parser("add", help=_("add one"), description="Adds.")', ["x.py:1: 'Adds.'"]),
        ('Parser(epilog="Without a command…" + more)', ["x.py:1: 'Without a command…'"]),
        ('parser.add_argument("--every", help=f"cycle: {cycles}")', ["x.py:1: \"f'cycle: {cycles}'\""]),
        ('parser.add_argument("--name", help=_("what renews"))', []),
        ('parser.add_argument("--kind", help=_("one of: {choices}").format(choices=kinds))', []),
        ('parser.add_argument("--secret", help=argparse.SUPPRESS)', []),
    ],
)
def test_the_cli_scan_finds_unmarked_literals_and_only_those(source: str, expected: list[str]) -> None:
    assert cli_unmarked_texts(source, "x.py") == expected


# -- error messages from the domain, storage, services and CLI ----------------------------------------------
# The layers below the window raise the errors the user reads (in the window and on stderr): each one's message is
# translated where it is raised, when the interface language is already installed.
LAYERS = ("domain", "storage", "services", "cli")
# Errors whose message the user reads, and which positional argument is the message (ValidationError's first is
# the field: an option name or a file location, kept as typed).
SHOWN_ERRORS: dict[str, tuple[int, ...]] = {
    "ValidationError": (1,),
    "LoginEntryError": (1,),
    "TemplateNotFound": (1,),
    **dict.fromkeys(
        (
            "NotFoundError",
            "StorageError",
            "DatabaseBusyError",
            "DiskFullError",
            "ReadOnlyError",
            "DamagedDatabaseError",
            "NewerSchemaError",
            "ForeignDatabaseError",
            "UsageError",
            "MailError",
            "SyncError",
            "SecretUnavailable",
            "DraftFormatError",
            "TemplateLimitError",
            "SecurityError",
            "ArgumentTypeError",
        ),
        (0,),
    ),
}
# The settings parsers' ValueError becomes the ValidationError that `config set` and the settings dialog show.
SHOWN_VALUE_ERRORS = frozenset({"domain/settings.py"})
# Other raises with an English literal: programming errors, never shown as such. Each with its reason.
ERROR_ALLOWED: dict[tuple[str, str], str] = {
    ("domain/clock.py", "a FixedClock needs a time-zone aware datetime"): "a bug in the caller",
    ("domain/reminders.py", "reminder windows need time-zone aware datetimes"): "a bug in the caller",
    ("domain/reminders.py", "a notice needs at least one reminder"): "a bug in the caller",
    ("domain/reminders.py", "f'{text!r} is not a reminder key'"): "keys are written by the program itself",
    ("domain/schedule.py", "occurrence index must not be negative"): "a bug in the caller",
    ("domain/subscription_fields.py", "f'not fields of Subscription: {sorted(unknown)}'"): "a bug in the caller",
    ("domain/subscription_fields.py", "f'{spec.name} has no default: it cannot be left out'"): "a bug in the caller",
    # A module's lazy names (PEP 562 `__getattr__`): Python's own words for a name the module does not have.
    ("domain/subscription.py", "f'module {__name__!r} has no attribute {name!r}'"): "a bug in the caller",
    ("domain/subscription_fields.py", "f'module {__name__!r} has no attribute {name!r}'"): "a bug in the caller",
    ("storage/contacts.py", "cannot update a contact that was never saved"): "a bug in the caller",
    ("storage/repositories.py", "cannot update a subscription that was never saved"): "a bug in the caller",
    ("storage/repositories.py", "cannot update a charge that was never saved"): "a bug in the caller",
    ("storage/requests.py", "cannot update a request that was never saved"): "a bug in the caller",
    ("storage/subscription_rows.py", "refusing to store a datetime without a time zone"): "a bug in the caller",
    ("services/attachments.py", "attachments need a database file to keep them beside"): "a bug in the caller",
    ("services/reminders.py", "a pause needs a time-zone aware end"): "a bug in the caller",
    ("services/reminders.py", "pausing reminders needs the subscription service (it tells the views)"): "a bug",
    ("services/reminders.py", "a snooze needs a time-zone aware time"): "a bug in the caller",
    ("services/reminders.py", "a reminder service needs a subscription service or a store"): "a bug in the caller",
    ("services/ics_import.py", "not an object"): "caught: the import names the damaged event in its own words",
    ("services/calendar_data.py", "f'not base64 ({error})'"): "a technical detail after a translated sentence",
}


def _class_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _message_arguments(call: ast.Call, module: str) -> list[ast.expr]:
    name = _class_name(call)
    if name in SHOWN_ERRORS:
        return [argument for position, argument in enumerate(call.args) if position in SHOWN_ERRORS[name]]
    if name == "ValueError" and module in SHOWN_VALUE_ERRORS:
        return list(call.args)
    return []


def untranslated_errors(source: str, module: str) -> list[str]:
    """`module:line: text` for each error message built from an unmarked literal (a plain or f-string, or a
    "…".format(…) of one) where a shown error is made, and for each other raise with one not in ERROR_ALLOWED."""
    tree = ast.parse(source)
    raised = {id(node.exc) for node in ast.walk(tree) if isinstance(node, ast.Raise) and node.exc is not None}
    problems = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        shown = _message_arguments(call, module)
        checked = shown if shown or id(call) not in raised else list(call.args)
        for literal in (found for argument in checked for found in _cli_unmarked(argument)):
            text = _literal_text(literal)
            if shown or (module, text) not in ERROR_ALLOWED:
                problems.append(f"{module}:{literal.lineno}: {text!r}")
    return problems


def test_every_error_message_the_user_reads_is_marked_for_translation() -> None:
    package = UI.parent
    problems = [
        problem
        for layer in LAYERS
        for path in sorted((package / layer).rglob("*.py"))
        if "migrations" not in path.parts
        for problem in untranslated_errors(path.read_text(encoding="utf-8"), path.relative_to(package).as_posix())
    ]
    assert problems == [], "untranslated error messages (wrap them in _() or ngettext()):\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('raise ValidationError("amount", "is missing")', ["x.py:1: 'is missing'"]),
        ('raise ValidationError("amount", f"{text!r} is not a number")', ["x.py:1: \"f'{text!r} is not a number'\""]),
        ('raise NotFoundError("no subscription with id {n}".format(n=n))', ["x.py:1: 'no subscription with id {n}'"]),
        ('error = StorageError(f"cannot read {path}")', ["x.py:1: \"f'cannot read {path}'\""]),
        ('raise UsageError("a" if ok else _("b"))', ["x.py:1: 'a'"]),
        ('raise KeyError("not allowed here")', ["x.py:1: 'not allowed here'"]),
        ('raise ValidationError("amount", _("{text!r} is not a number").format(text=text))', []),
        ('raise ValidationError(f"{source} line {n}", ngettext("{n} field", "{n} fields", n))', []),
        ("raise MailError(words)", []),
        ('raise ValueError("a bug, not a message")', ["x.py:1: 'a bug, not a message'"]),
        ('problems.append(ValueError("kept, not raised"))', []),
    ],
)
def test_the_error_scan_finds_unmarked_messages_and_only_those(source: str, expected: list[str]) -> None:
    assert untranslated_errors(source, "x.py") == expected


def test_a_settings_parser_error_must_be_marked_but_an_allowed_bug_may_stay_english() -> None:
    assert untranslated_errors('raise ValueError(f"{text!r} is not yes or no")', "domain/settings.py") != []
    allowed_bug = 'raise ValueError("a FixedClock needs a time-zone aware datetime")'
    assert untranslated_errors(allowed_bug, "domain/clock.py") == []
