"""A deleted renewal's attached files stay while Undo can bring it back, and go once it no longer can."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from renewaltracker.services.attachments import AttachmentService
from renewaltracker.ui.composition import Features
from tests.factories import make_subscription


def _with_receipt(features: Features, tmp_path: Path, name: str) -> tuple[int, Path]:
    service = features.window.context.service
    saved = service.add(make_subscription(name=name))
    assert saved.id is not None
    receipt = tmp_path / f"{name}.pdf"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    return saved.id, AttachmentService(service).attach(saved.id, receipt).path


def _delete(features: Features, qtbot: QtBot, subscription_id: int) -> None:
    window = features.window
    qtbot.waitUntil(lambda: window.model.row_of_id(subscription_id) is not None)
    window.open_subscription(subscription_id)
    with qtbot.waitSignal(window.context.signals.changed):
        window.commands.delete.trigger()
    assert window.commands.undo_bar.isVisible()


def test_the_files_stay_for_undo_and_go_when_the_offer_lapses(features: Features, qtbot: QtBot, tmp_path: Path) -> None:
    """Before: the files of a deleted renewal stayed in the folder for ever, listed by nothing."""
    window = features.window
    window.show()
    films, receipt = _with_receipt(features, tmp_path, "Films")
    window.load()
    _delete(features, qtbot, films)
    assert receipt.exists(), "Undo needs it"
    qtbot.mouseClick(window.commands.undo_bar.button, Qt.MouseButton.LeftButton)
    [back] = AttachmentService(window.context.service).list_for(films)
    assert back.path == receipt and receipt.read_bytes() == b"%PDF-1.4 receipt"
    _delete(features, qtbot, films)
    window.commands.undo_bar.timer.timeout.emit()  # the 20 seconds are over
    assert not window.commands.undo_bar.isVisible()
    assert not receipt.exists()


def test_a_second_delete_or_quitting_ends_the_undo_of_the_first(
    features: Features, qtbot: QtBot, tmp_path: Path
) -> None:
    window = features.window
    window.show()
    films, first = _with_receipt(features, tmp_path, "Films")
    music, second = _with_receipt(features, tmp_path, "Music")
    _news, kept = _with_receipt(features, tmp_path, "News")
    window.load()
    _delete(features, qtbot, films)
    _delete(features, qtbot, music)  # Undo now brings back Music only
    assert not first.exists() and second.exists()
    features.close()  # quitting: nothing can bring Music back any more
    assert not second.exists()
    assert kept.exists(), "a live renewal's file stays"
