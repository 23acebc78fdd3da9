"""Text from outside the app (a server's answer, a subscription's name, a file name, an error) is shown as written:
a tag in it is never drawn as rich text, an "&" never turns into "&amp;"."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from renewaltracker.domain.drafts import DraftKind
from renewaltracker.ui import plain_text
from renewaltracker.ui.composition import Features
from renewaltracker.ui.draft_dialog import DraftDialog
from renewaltracker.ui.mail_settings import MailSettingsDialog
from tests.factories import make_subscription
from tests.mail_server import free_port
from tests.ui.drafts_fixtures import Setup, setup
from tests.ui.waiting import household_shown, open_details

__all__ = ["setup"]  # fixtures

UI = Path(plain_text.__file__).parent
TAGGED = "<b>Blocked</b> as spam, see <a href='https://x.example'>here</a> & AT&amp;T"


class _Refusing:
    """Refuses every message with an answer full of markup, as a badly configured server might."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        return f"554 {TAGGED}"


@pytest.fixture
def tagged_server() -> Iterator[int]:
    port = free_port()
    controller = Controller(_Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port
    controller.stop()


def _shown_as_written(label: QLabel, text: str) -> None:
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert text in label.text()


def _use_server(setup: Setup, port: int) -> None:
    for key, value in (
        ("smtp_host", "127.0.0.1"),
        ("smtp_port", str(port)),
        ("smtp_security", "none"),
        ("user_email", "zoe@example.com"),
    ):
        setup.context.service.set_setting(key, value)


@pytest.mark.expect_log_warnings
def test_a_servers_answer_in_the_draft_dialog_is_plain_text(setup: Setup, qtbot: QtBot, tagged_server: int) -> None:
    _use_server(setup, tagged_server)
    dialog = setup.feature.open_draft(DraftKind.CANCEL, setup.subscription_id)
    assert isinstance(dialog, DraftDialog)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.send_failed, timeout=10_000):
        dialog.send()
    _shown_as_written(dialog.status, TAGGED)


@pytest.mark.expect_log_warnings
def test_a_servers_answer_in_the_mail_settings_test_is_plain_text(
    setup: Setup, qtbot: QtBot, tagged_server: int
) -> None:
    _use_server(setup, tagged_server)
    settings = MailSettingsDialog(setup.context, setup.feature.secrets)
    qtbot.addWidget(settings)
    settings.send_test()
    # Its end, not the thread's `finished`: that may come before a wait starts, and be missed.
    qtbot.waitUntil(settings.test_button.isEnabled, timeout=10_000)
    _shown_as_written(settings.status, TAGGED)


def test_a_name_with_markup_and_ampersands_is_shown_as_typed(features: Features, qtbot: QtBot) -> None:
    window = features.window
    name = "AT&T <b>Plus</b> &amp; more"
    saved = window.context.service.add(make_subscription(name=name))
    twin = window.context.service.add(make_subscription(name="<i>Twin</i> AT&T", vendor=name))
    assert saved.id is not None and twin.id is not None
    window.load()
    qtbot.waitUntil(lambda: window.model.loaded)
    open_details(qtbot, window, saved.id)
    _shown_as_written(window.details.title, name)
    window.details.problem.setText(name)
    assert window.details.problem.textFormat() == Qt.TextFormat.PlainText
    view = household_shown(qtbot, features)
    # The duplicates' list is rich (a bold heading): the names in it are escaped, so they read as typed.
    shown = view.duplicates.text()
    assert "&lt;i&gt;Twin&lt;/i&gt; AT&amp;T" in shown and "<i>Twin</i>" not in shown, shown


def test_message_boxes_are_plain_text() -> None:
    box = plain_text.plain_box(QMessageBox.Icon.Warning, "t", TAGGED)
    assert box.textFormat() == Qt.TextFormat.PlainText and box.text() == TAGGED


# about() is left out: the About box is the app's own rich text, with nothing from outside in it.
_STATIC = {"warning", "information", "critical", "question"}


def test_no_message_box_guesses_the_format() -> None:
    """Qt's static QMessageBox functions and a bare QMessageBox take tags as markup: the window uses plain_text's."""
    found: list[str] = []
    for module in sorted(UI.glob("*.py")):
        if module.name == "plain_text.py":
            continue
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            static = (
                isinstance(func, ast.Attribute)
                and func.attr in _STATIC
                and isinstance(func.value, ast.Name)
                and func.value.id == "QMessageBox"
            )
            built = isinstance(func, ast.Name) and func.id == "QMessageBox"
            if static or built:
                found.append(f"{module.name}:{node.lineno}")
    assert found == []
