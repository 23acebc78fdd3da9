"""The export dialog, the import preview (with qtmodeltester) and the CalDAV dialog, driven offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QThreadPool
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from renewaltracker.domain.clock import FixedClock
from renewaltracker.services.caldav_sync import CalDAVSync
from renewaltracker.services.ics_export import CalendarExporter, ExportOptions
from renewaltracker.services.ics_import import CalendarImporter
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.storage.database import Database
from renewaltracker.ui import export_dialog
from renewaltracker.ui.caldav_dialog import CalDAVDialog
from renewaltracker.ui.composition import Features
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.export_dialog import ExportDialog
from renewaltracker.ui.import_preview import (
    AMOUNT,
    ENDS,
    EVERY,
    INCLUDE,
    NAME,
    START,
    ImportPreviewDialog,
    ImportPreviewModel,
)
from tests.factories import make_subscription
from tests.services.radicale_server import free_port, radicale
from tests.services.test_ics_round_trip import FOREIGN


@pytest.fixture
def context(database: Database, clock: FixedClock) -> Iterator[AppContext]:
    app_context = AppContext.create(database, clock)
    yield app_context
    QThreadPool.globalInstance().waitForDone()
    app_context.signals.detach()


def test_menus_are_installed(features: Features) -> None:
    window = features.window
    file_texts = [action.text() for action in window.menu("file").actions()]
    assert file_texts.index("&Export calendar…") < file_texts.index("&Quit")
    assert "&Import calendar…" in file_texts
    assert {"Calendar &sync (CalDAV)…", "Sync &now"} <= {a.text() for a in window.menu("tools").actions()}


def test_export_dialog_writes_the_file_and_sets_up_auto_export(
    qtbot: QtBot, context: AppContext, features: Features, tmp_path: Path
) -> None:
    window = features.window
    service = context.service
    service.add(make_subscription(name="Magazine"))
    service.add(make_subscription(name="Old gym").cancel(date(2026, 1, 1)))
    dialog = ExportDialog(context, None, window)
    qtbot.addWidget(dialog)
    assert not dialog.scope_selected.isEnabled()
    dialog.path.setText(str(tmp_path / "once.ics"))
    dialog.scope_active.setChecked(True)
    dialog.amounts.setChecked(False)
    dialog.auto_enabled.setChecked(True)
    dialog.auto_path.setText(str(tmp_path / "auto.ics"))
    dialog.accept()
    once = (tmp_path / "once.ics").read_bytes()
    assert b"Magazine" in once and b"Old gym" not in once and b"39.99" not in once
    assert service.setting("auto_export_path") == str(tmp_path / "auto.ics")
    assert service.setting("auto_export_scope") == "active"
    service.add(make_subscription(name="Newspaper"))
    qtbot.waitUntil(lambda: b"Newspaper" in (tmp_path / "auto.ics").read_bytes(), timeout=5000)


def test_an_export_from_the_window_says_what_it_wrote_and_where(
    qtbot: QtBot, features: Features, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = features.window
    window.context.service.add(make_subscription(name="Magazine"))
    target = tmp_path / "mine.ics"

    def exec_exporting(dialog: ExportDialog) -> int:
        dialog.path.setText(str(target))
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(ExportDialog, "exec", exec_exporting)
    features.calendar.export()
    count = target.read_bytes().count(b"BEGIN:VEVENT")
    events = "event" if count == 1 else "events"
    assert window.statusBar().currentMessage() == f"Wrote {count} {events} to {target}"


def test_exporting_a_selected_renewal_deleted_meanwhile_says_so(
    qtbot: QtBot, context: AppContext, features: Features, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = context.service.add(make_subscription(name="Magazine"))
    assert saved.id is not None
    dialog = ExportDialog(context, saved.id, features.window)
    qtbot.addWidget(dialog)
    dialog.scope_selected.setChecked(True)
    dialog.path.setText(str(tmp_path / "one.ics"))
    context.service.delete(saved.id)  # by another window, while this dialog was open
    warned: list[str] = []
    monkeypatch.setattr(export_dialog, "warn", lambda _parent, _title, text: warned.append(text))
    dialog.accept()
    assert dialog.written is None and not (tmp_path / "one.ics").exists()
    (text,) = warned
    assert str(saved.id) in text


@pytest.mark.parametrize(("language", "ends"), [("de", "nach 5 Abbuchungen"), ("fr", "après 5 prélèvements")])
def test_the_import_preview_says_when_a_plan_ends_in_the_interface_language(
    context: AppContext, language: str, ends: str
) -> None:
    from renewaltracker.i18n import install_language

    install_language(language)  # the autouse fixture puts English back
    preview = CalendarImporter(context.service).preview(FOREIGN)
    model = ImportPreviewModel(preview)
    rows = {row.key: number for number, row in enumerate(preview.rows)}
    assert model.data(model.index(rows["domain-9@other.example"], ENDS)) == ends


def test_import_preview_model_passes_the_model_tester_and_edits_rows(
    qtbot: QtBot, qtmodeltester: ModelTester, context: AppContext
) -> None:
    importer = CalendarImporter(context.service)
    preview = importer.preview(FOREIGN)
    model = ImportPreviewModel(preview)
    qtmodeltester.check(model)
    rows = {row.key: number for number, row in enumerate(preview.rows)}
    club = rows["club@other.example"]
    assert model.data(model.index(club, AMOUNT)) == ""
    assert model.data(model.index(rows["domain-9@other.example"], ENDS)) == "after 5 charges"
    assert not model.setData(model.index(club, START), "31 Feb")
    assert model.setData(model.index(club, AMOUNT), "4.50")
    assert model.setData(model.index(club, NAME), "Book club dues")
    dentist = rows["dentist@other.example"]
    assert not model.flags(model.index(dentist, NAME)) & Qt.ItemFlag.ItemIsEditable
    dialog = ImportPreviewDialog(importer, preview)
    qtbot.addWidget(dialog)
    assert dialog.import_button.isEnabled()
    model_in_dialog = dialog.model
    netflix = model_in_dialog.index(rows["netflix-123@other.example"], INCLUDE)
    with qtbot.waitSignal(model_in_dialog.dataChanged):
        model_in_dialog.setData(netflix, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    dialog.accept()
    assert dialog.outcome is not None and len(dialog.outcome.added) == 2
    assert sorted(s.name for s in context.service.all()) == ["Book club dues", "Domain renewal"]
    assert model.rowCount(QModelIndex()) == len(preview.rows)


def test_import_preview_blocks_import_while_a_row_lacks_an_amount(qtbot: QtBot, context: AppContext) -> None:
    dialog = ImportPreviewDialog(CalendarImporter(context.service), CalendarImporter(context.service).preview(FOREIGN))
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    assert "amount is missing" in dialog.status.text().lower()


def test_caldav_dialog_reports_an_unreachable_server_in_plain_words(qtbot: QtBot, context: AppContext) -> None:
    context.service.add(make_subscription())
    dialog = CalDAVDialog(CalDAVSync(context.service, MemorySecretStore()))
    qtbot.addWidget(dialog)
    dialog.url.setText("ftp://example")
    with qtbot.waitSignal(dialog.finished_work) as bad_address:
        dialog.sync_now()
    assert "https://" in bad_address.args[0]
    dialog.url.setText(f"http://127.0.0.1:{free_port()}/")
    dialog.password.setText("secret")
    with qtbot.waitSignal(dialog.finished_work, timeout=20000) as finished:
        dialog.sync_now()
    assert "cannot reach 127.0.0.1" in finished.args[0]
    assert dialog.sync_button.isEnabled() and not dialog.progress.isVisible()
    with qtbot.waitSignal(dialog.finished_work, timeout=20000) as tested:
        dialog.test_connection()
    assert tested.args[0].startswith("Could not connect: cannot reach")


@pytest.mark.parametrize(
    ("language", "said"),
    [("de", "Geben Sie die Serveradresse ein"), ("fr", "Saisissez l’adresse du serveur")],
)
def test_caldav_dialog_asks_for_the_address_in_the_interface_language(
    qtbot: QtBot, context: AppContext, language: str, said: str
) -> None:
    from renewaltracker.i18n import install_language

    install_language(language)
    try:
        dialog = CalDAVDialog(CalDAVSync(context.service, MemorySecretStore()))
        qtbot.addWidget(dialog)
        dialog.url.setText("ftp://example")
        with qtbot.waitSignal(dialog.finished_work) as bad_address:
            dialog.sync_now()
    finally:
        install_language("en")
    assert said in bad_address.args[0] and "https://" in bad_address.args[0]


def test_caldav_dialog_syncs_and_keeps_the_password_in_the_keyring(
    qtbot: QtBot, context: AppContext, tmp_path: Path
) -> None:
    context.service.add(make_subscription(notice_days=5))
    secrets = MemorySecretStore()
    with radicale(tmp_path / "radicale") as server:
        dialog = CalDAVDialog(CalDAVSync(context.service, secrets))
        qtbot.addWidget(dialog)
        dialog.url.setText(server.url)
        dialog.user.setText(server.user)
        dialog.password.setText(server.password)
        with qtbot.waitSignal(dialog.finished_work, timeout=20000) as finished:
            dialog.sync_now()
        events = len(CalendarExporter(context.service).events(ExportOptions()))
        assert finished.args[0] == f"Synced: {events} created, 0 updated, 0 deleted, 0 unchanged."
        assert dialog.progress.maximum() == events
        assert server.password in secrets._secrets.values()
        assert server.password not in str(context.service.settings())


def test_sync_now_menu_action_syncs_in_the_background(
    qtbot: QtBot, context: AppContext, features: Features, secrets: MemorySecretStore, tmp_path: Path
) -> None:
    window, feature = features.window, features.calendar
    context.service.add(make_subscription())
    with radicale(tmp_path / "radicale") as server:
        context.service.set_setting("caldav_url", server.url)
        context.service.set_setting("caldav_user", server.user)
        feature.sync.store_password(feature.sync.account(), server.password)
        feature.sync_now()
        qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Synced: 1 created"), timeout=20000)


def test_import_preview_names_items_dropped_for_a_shared_uid(qtbot: QtBot, context: AppContext) -> None:
    event = (
        "BEGIN:VEVENT\r\nUID:same@x\r\nSUMMARY:{}\r\n"
        "DTSTART;VALUE=DATE:20260105\r\nRRULE:FREQ=MONTHLY\r\nEND:VEVENT\r\n"
    )
    data = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        + event.format("Music 9.99 EUR")
        + event.format("Video 7.99 EUR")
        + "END:VCALENDAR\r\n"
    ).encode()
    importer = CalendarImporter(context.service)
    dialog = ImportPreviewDialog(importer, importer.preview(data))
    qtbot.addWidget(dialog)
    assert "1 skipped (same key as an earlier item): Video 7.99 EUR (UID 'same@x')" in dialog.status.text()


# Another calendar's plan with an end date, and this app's own export of a plan cancelled from a day.
UNTIL = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Other//Calendar//EN\r\nBEGIN:VEVENT\r\nUID:paper@other.example\r\n"
    "DTSTAMP:20250101T000000Z\r\nDTSTART;VALUE=DATE:20250115\r\nRRULE:FREQ=MONTHLY;UNTIL=20270630\r\n"
    "SUMMARY:Paper 9.99 EUR\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.mark.parametrize(
    ("language", "start", "typed", "ends", "cancelled"),
    [
        ("de", "15.01.2025", "01.02.2025", "am 30.06.2027", "gekündigt ab 30.06.2026"),
        ("fr", "15 janv. 2025", "01/02/2025", "le 30 juin 2027", "résilié à partir du 30 juin 2026"),
    ],
)
def test_the_import_preview_shows_and_reads_its_dates_in_the_interface_language(
    context: AppContext, language: str, start: str, typed: str, ends: str, cancelled: str
) -> None:
    from renewaltracker.i18n import install_language

    install_language(language)  # the autouse fixture puts English back
    model = ImportPreviewModel(CalendarImporter(context.service).preview(UNTIL))
    first = model.index(0, START)
    assert model.data(first) == start
    assert model.data(model.index(0, ENDS)) == ends
    # The cycle as the window words it; edited, it is the text to correct.
    every = model.index(0, EVERY)
    assert model.data(every) == {"de": "Monatlich", "fr": "Mensuel"}[language]
    assert model.data(every, Qt.ItemDataRole.EditRole) == "1 month"
    assert model.setData(first, typed)  # typed as the interface writes dates, or in ISO form
    assert model.row(first).start == date(2025, 2, 1)
    assert model.setData(first, "2025-03-01") and model.row(first).start == date(2025, 3, 1)
    assert not model.setData(first, "31.02.2025") and model.row(first).start == date(2025, 3, 1)
    service = context.service
    service.add(make_subscription(name="Gym").cancel(date(2026, 6, 30)))  # its charges until then are exported
    own = ImportPreviewModel(CalendarImporter(service).preview(CalendarExporter(service).to_ics(ExportOptions())))
    assert own.data(own.index(0, ENDS)) == cancelled
