"""An import refuses to write over a change made after its preview (another window, a cron job), and changes
nothing; untouched subscriptions import as before."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from renewaltracker.domain.errors import ValidationError
from renewaltracker.services.ics_export import CalendarExporter, ExportOptions
from renewaltracker.services.ics_import import CalendarImporter, RowAction
from renewaltracker.services.import_guard import PreviewOutdated
from renewaltracker.services.statement_import import StatementImporter
from renewaltracker.services.subscriptions import SubscriptionService
from tests.factories import make_subscription

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "statements"


def calendar_preview(service: SubscriptionService) -> tuple[CalendarImporter, int, object]:
    """A preview that updates "Magazine" (renamed locally since the file was written) and adds "Extra"."""
    kept = service.add(make_subscription(name="Magazine", amount=Decimal("4.99")))
    exported = CalendarExporter(service).to_ics(ExportOptions())
    assert kept.id is not None
    service.edit(kept.id, name="Renamed")
    importer = CalendarImporter(service)
    preview = importer.preview(exported)
    assert [row.action for row in preview.rows] == [RowAction.UPDATE]
    return importer, kept.id, preview


def test_a_calendar_import_refuses_a_subscription_edited_since_its_preview(service: SubscriptionService) -> None:
    importer, sid, preview = calendar_preview(service)
    service.edit(sid, amount=Decimal("7.49"), notes="changed in another window")
    with pytest.raises(PreviewOutdated) as raised:
        importer.apply(preview)  # type: ignore[arg-type]
    message = str(raised.value)
    assert "'Renamed' (subscription" in message and "changed (Amount, Notes)" in message
    assert "nothing was imported" in message
    now = service.get(sid)
    assert (now.name, now.amount, now.notes) == ("Renamed", Decimal("7.49"), "changed in another window")


def test_a_calendar_import_refuses_a_subscription_deleted_since_its_preview(service: SubscriptionService) -> None:
    importer, sid, preview = calendar_preview(service)
    service.delete(sid)
    with pytest.raises(ValidationError, match="was deleted after the preview"):
        importer.apply(preview)  # type: ignore[arg-type]
    assert service.all() == []


def test_an_untouched_preview_still_imports(service: SubscriptionService) -> None:
    importer, sid, preview = calendar_preview(service)
    result = importer.apply(preview)  # type: ignore[arg-type]
    assert result.updated == (sid,) and service.get(sid).name == "Magazine"


def test_a_statement_import_refuses_a_price_changed_since_its_review(service: SubscriptionService) -> None:
    tracked = service.add(make_subscription(name="Netflix", amount=Decimal("11.99"), currency="EUR"))
    assert tracked.id is not None
    importer = StatementImporter(service)
    review = importer.review(importer.read((FIXTURES / "bank-ofx1.ofx").read_bytes(), "bank.ofx"))
    (match,) = [m for m in review.matched if m.subscription_id == tracked.id]
    assert match.price_change == (Decimal("11.99"), Decimal("15.49"))
    service.edit(tracked.id, amount=Decimal("13.99"))  # the user set the price themselves meanwhile
    with pytest.raises(PreviewOutdated, match=r"'Netflix' \(subscription \d+\): changed \(Amount\)"):
        importer.apply(review, review.candidates)
    assert service.get(tracked.id).amount == Decimal("13.99")
    assert service.charges(tracked.id) == [] and len(service.all()) == 1


def test_a_statement_import_refuses_charges_for_a_subscription_deleted_since_its_review(
    service: SubscriptionService,
) -> None:
    tracked = service.add(make_subscription(name="Netflix", amount=Decimal("15.49"), currency="EUR"))
    assert tracked.id is not None
    importer = StatementImporter(service)
    review = importer.review(importer.read((FIXTURES / "bank-ofx1.ofx").read_bytes(), "bank.ofx"))
    assert any(m.subscription_id == tracked.id and m.transactions for m in review.matched)
    service.delete(tracked.id)
    with pytest.raises(PreviewOutdated, match="was deleted"):
        importer.apply(review, review.candidates)
    assert service.all() == []


def test_a_tracker_import_refuses_a_twin_added_since_its_preview(service: SubscriptionService) -> None:
    from renewaltracker.services.tracker_import import Source, TrackerImporter

    data = b"Name,Price,Next Payment\nNetflix,$9.99,2026-04-05\nSpotify,$4.99,2026-04-05\n"
    importer = TrackerImporter(service)
    preview = importer.preview(data, "mine.csv", Source.CSV)
    assert [row.action for row in preview.rows] == ["new", "new"]
    # Another window adds Spotify before the import is confirmed: importing would track it twice.
    twin = service.add(make_subscription(name="SPOTIFY", amount=Decimal("4.99"), currency="USD"))
    with pytest.raises(ValidationError, match=r"^mine\.csv line 3: looks like 'SPOTIFY' \(subscription \d+\), which"):
        importer.apply(preview)
    assert [s.id for s in service.all()] == [twin.id]
    # A fresh preview flags it, and the rest imports.
    again = importer.preview(data, "mine.csv", Source.CSV)
    assert [row.action for row in again.rows] == ["new", "duplicate"]
    importer.apply(again)
    assert sorted(s.name for s in service.all()) == ["Netflix", "SPOTIFY"]
