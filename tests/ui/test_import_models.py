"""The calendar import preview's table model is a RecordTableModel: Qt's model checks pass, headers come from the
shared code, and an edit in the table is an edit of the preview that "Import" writes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from renewaltracker.services.ics_export import CalendarExporter, ExportOptions
from renewaltracker.services.ics_import import CalendarImporter
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.ui.import_preview import AMOUNT, NAME, ImportPreviewModel
from renewaltracker.ui.table_model import RecordTableModel
from tests.factories import make_subscription


def test_the_preview_model_shares_the_record_table_model(
    service: SubscriptionService, qtmodeltester: ModelTester
) -> None:
    service.add(make_subscription(name="Zeta"))
    service.add(make_subscription(name="Alpha"))
    exported = CalendarExporter(service).to_ics(ExportOptions())
    for subscription in service.all():
        service.delete(subscription.id)  # type: ignore[arg-type]
    preview = CalendarImporter(service).preview(exported)
    model = ImportPreviewModel(preview)
    qtmodeltester.check(model)
    assert isinstance(model, RecordTableModel)
    assert (model.rowCount(), model.columnCount()) == (2, 9)
    assert model.headerData(NAME, Qt.Orientation.Horizontal) == "Name"
    assert model.column("first_charge") == 6
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.data(model.index(0, AMOUNT), Qt.ItemDataRole.TextAlignmentRole) == right
    model.sort(NAME)
    assert [model.data(model.index(row, NAME)) for row in range(2)] == ["Alpha", "Zeta"]
    assert model.setData(model.index(0, NAME), "Alpha Plus")
    assert "Alpha Plus" in [row.name for row in preview.rows]
    imported = CalendarImporter(service).apply(preview)
    assert sorted(service.get(i).name for i in imported.added) == ["Alpha Plus", "Zeta"]
