"""Subscriptions from Wallos, SubTrackr, any CSV and our own export: parsed fields, duplicates, one transaction."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.subscription import Status
from renewaltracker.domain.tracker_rows import guess_columns, parse_cycle
from renewaltracker.services.data_export import export_data
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.services.tracker_import import Source, TrackerImporter, parse_rows, to_subscription
from tests.factories import make_subscription

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "trackers"

WALLOS = [
    ("Netflix", Decimal("15.49"), "EUR", Interval(1, Unit.MONTH), date(2026, 4, 5), Status.ACTIVE),
    ("example.org domain", Decimal("24.00"), "USD", Interval(2, Unit.YEAR), date(2027, 1, 10), Status.ACTIVE),
    ("Spotify Family", Decimal("44.97"), "GBP", Interval(3, Unit.MONTH), date(2026, 5, 1), Status.ACTIVE),
    ("Gym", Decimal("19.90"), "EUR", Interval(2, Unit.WEEK), date(2026, 3, 14), Status.CANCELLED),
]
SUBTRACKR = [
    ("GitHub Copilot", Decimal("10.00"), "USD", Interval(1, Unit.MONTH), date(2025, 6, 15), Status.ACTIVE),
    ("Disney+", Decimal("89.90"), "EUR", Interval(1, Unit.YEAR), date(2026, 11, 2), Status.ACTIVE),
    ("Newspaper", Decimal("12.99"), "EUR", Interval(3, Unit.MONTH), date(2025, 1, 1), Status.CANCELLED),
]


def fields(importer: TrackerImporter, name: str, kind: Source) -> list[tuple[object, ...]]:
    rows = importer.read((FIXTURES / name).read_bytes(), name, kind)
    return [(s.name, s.amount, s.currency, s.interval, s.anchor, s.status) for s in (row.subscription for row in rows)]


@pytest.mark.parametrize("name", ["wallos.json", "wallos.csv"])
def test_a_wallos_export_gives_its_subscriptions(service: SubscriptionService, name: str) -> None:
    importer = TrackerImporter(service)
    assert fields(importer, name, Source.WALLOS) == WALLOS
    gym = importer.read((FIXTURES / name).read_bytes(), name, Source.WALLOS)[3].subscription
    assert gym.cancelled_on == date(2026, 2, 28)
    netflix = importer.read((FIXTURES / name).read_bytes(), name, Source.WALLOS)[0].subscription
    assert (netflix.category, netflix.payment_method, netflix.cancel_url, netflix.notes) == (
        "Entertainment",
        "PayPal",
        "https://www.netflix.com/",
        "Standard plan",
    )


def test_the_older_wallos_answer_without_a_cycle_reads_as_monthly(service: SubscriptionService) -> None:
    assert fields(TrackerImporter(service), "wallos-old.json", Source.WALLOS) == WALLOS[:1]


@pytest.mark.parametrize("name", ["subtrackr.json", "subtrackr.csv"])
def test_a_subtrackr_export_gives_its_subscriptions(service: SubscriptionService, name: str) -> None:
    importer = TrackerImporter(service)
    assert fields(importer, name, Source.SUBTRACKR) == SUBTRACKR
    rows = importer.read((FIXTURES / name).read_bytes(), name, Source.SUBTRACKR)
    assert rows[2].subscription.cancelled_on == date(2026, 1, 20)
    assert rows[0].subscription.category == "Software"
    # The next charge follows from the start and the cycle: SubTrackr's renewal date 2026-03-15.
    assert rows[0].subscription.schedule.next_charge(date(2026, 3, 10)) == date(2026, 3, 15)


def test_a_german_spreadsheet_is_read_by_its_header_words(service: SubscriptionService) -> None:
    assert fields(TrackerImporter(service), "generic-de.csv", Source.CSV) == [
        ("Netflix", Decimal("15.49"), "EUR", Interval(1, Unit.MONTH), date(2026, 4, 5), Status.ACTIVE),
        ("Zeitung", Decimal("1299.00"), "EUR", Interval(1, Unit.YEAR), date(2026, 10, 1), Status.ACTIVE),
        ("Cloud-Speicher", Decimal("2.99"), "EUR", Interval(3, Unit.MONTH), date(2026, 3, 20), Status.ACTIVE),
    ]


def test_header_words_in_three_languages() -> None:
    assert guess_columns(["Nom", "Prix", "Devise", "Fréquence", "Prochain paiement", "Catégorie"]) == {
        "name": 0,
        "amount": 1,
        "currency": 2,
        "cycle": 3,
        "next": 4,
        "category": 5,
    }
    assert guess_columns(["Service", "Monthly cost (USD)", "Billing cycle", "Start date", "Website"]) == {
        "name": 0,
        "amount": 1,
        "cycle": 2,
        "start": 3,
        "url": 4,
    }


@pytest.mark.parametrize(
    ("text", "interval"),
    [
        ("Every 3 Months", Interval(3, Unit.MONTH)),
        ("Every 2 Days", Interval(2, Unit.DAY)),
        ("monatlich", Interval(1, Unit.MONTH)),
        ("alle 2 Wochen", Interval(2, Unit.WEEK)),
        ("tous les 6 mois", Interval(6, Unit.MONTH)),
        ("annuel", Interval(1, Unit.YEAR)),
        ("yearly", Interval(1, Unit.YEAR)),
    ],
)
def test_cycles_as_trackers_and_people_write_them(text: str, interval: Interval) -> None:
    assert parse_cycle(text) == interval


def test_the_map_corrects_the_guess(service: SubscriptionService) -> None:
    data = b"Label,What,Due,Amount\nNetflix,ignored,2026-04-05,9.99 USD\n"
    with pytest.raises(ValidationError, match="has no name column"):
        parse_rows(data, "x.csv", Source.CSV)
    rows = TrackerImporter(service).read(data, "x.csv", Source.CSV, {"name": "Label", "next": "3"})
    assert (rows[0].subscription.name, rows[0].subscription.currency) == ("Netflix", "USD")


def test_looking_like_a_tracked_one_is_flagged_not_duplicated(service: SubscriptionService) -> None:
    service.add(make_subscription(name="NETFLIX", amount=Decimal("15.49"), currency="EUR"))
    service.add(make_subscription(name="Music", vendor="Spotify Family", amount=Decimal("44.97"), currency="GBP"))
    importer = TrackerImporter(service)
    preview = importer.preview((FIXTURES / "wallos.json").read_bytes(), "wallos.json", Source.WALLOS)
    assert [(row.subscription.name, row.action, row.duplicate_of) for row in preview.rows] == [
        ("Netflix", "duplicate", "NETFLIX"),
        ("example.org domain", "new", None),
        ("Spotify Family", "duplicate", "Music"),
        ("Gym", "new", None),
    ]
    importer.apply(preview)
    assert sorted(s.name for s in service.all()) == ["Gym", "Music", "NETFLIX", "example.org domain"]
    # The same file again adds nothing: every row now looks like one already there.
    again = importer.preview((FIXTURES / "wallos.json").read_bytes(), "wallos.json", Source.WALLOS)
    assert again.new == []


def test_the_same_subscription_twice_in_one_file_is_added_once(service: SubscriptionService) -> None:
    data = b"Name,Price,Next Payment\nNetflix,$9.99,2026-04-05\nnetflix,$9.99,2026-05-05\nNetflix,$12.99,2026-04-05\n"
    preview = TrackerImporter(service).preview(data, "twice.csv", Source.CSV)
    assert [row.action for row in preview.rows] == ["new", "duplicate", "new"]


def test_a_bad_row_names_its_line_and_field_and_nothing_is_written(service: SubscriptionService) -> None:
    data = b"Name,Price,Next Payment\nNetflix,$9.99,2026-04-05\nSpotify,lots,2026-04-05\n"
    with pytest.raises(ValidationError, match=r"^bad\.csv line 3: amount: 'lots' is not a number"):
        TrackerImporter(service).preview(data, "bad.csv", Source.CSV)
    assert service.all() == []


def test_apply_is_one_transaction(service: SubscriptionService) -> None:
    # The second row passes reading but fails the limits checked on saving: the first must not stay.
    data = ("Name,Price,Next Payment,Category\nA,$1,2026-04-05,x\nB,$2,2026-04-05," + "c" * 101 + "\n").encode()
    importer = TrackerImporter(service)
    preview = importer.preview(data, "long.csv", Source.CSV)
    with pytest.raises(ValidationError, match=r"long\.csv line 3: category"):
        importer.apply(preview)
    assert service.all() == []


def test_our_own_export_adds_its_subscriptions_as_new_records(service: SubscriptionService) -> None:
    import json

    service.add(make_subscription(name="Netflix", amount=Decimal("15.49"), currency="EUR"))
    service.add(make_subscription(name="Cloud", amount=Decimal("2.99"), currency="EUR"))
    data = json.dumps(export_data(service)).encode()
    service.delete(next(s.id for s in service.all() if s.name == "Cloud") or 0)
    importer = TrackerImporter(service)
    preview = importer.preview(data, "export.json", Source.JSON)
    assert sorted((row.subscription.name, row.action) for row in preview.rows) == [
        ("Cloud", "new"),
        ("Netflix", "duplicate"),
    ]
    assert all(row.subscription.id is None for row in preview.rows)
    importer.apply(preview)
    assert sorted(s.name for s in service.all()) == ["Cloud", "Netflix"]


_names = st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=20).filter(
    lambda s: s.strip() == s and bool(s)
)
_subscriptions = st.lists(
    st.tuples(
        _names,
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2),
        st.sampled_from(["USD", "EUR", "GBP", "CHF"]),
        st.builds(Interval, st.integers(1, 24), st.sampled_from(list(Unit))),
        st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
        st.sampled_from(["", "Music", "Cloud storage"]),
    ),
    max_size=8,
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_subscriptions)
def test_a_generic_csv_of_generated_subscriptions_reads_back_the_same(
    service: SubscriptionService, generated: list[tuple[str, Decimal, str, Interval, date, str]]
) -> None:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["Name", "Amount", "Currency", "Cycle", "Next payment", "Category"])
    for name, amount, currency, interval, day, category in generated:
        writer.writerow([name, f"{amount:f}", currency, f"every {interval}", day.isoformat(), category])
    rows = parse_rows(text.getvalue().encode(), "gen.csv", Source.CSV)
    read = [to_subscription(where, row, "EUR", date(2026, 1, 1)) for where, row in rows]
    assert [(s.name, s.amount, s.currency, s.interval, s.anchor, s.category) for s in read] == generated


_cell_text = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"), include_characters='"\n,;|\t'),
    max_size=30,
).filter(lambda s: s.strip() == s and "\r" not in s)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(_names, _cell_text, _cell_text), min_size=1, max_size=6),
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
)
def test_cells_quoted_as_spreadsheets_quote_them_read_back_the_same(
    rows: list[tuple[str, str, str]], delimiter: str, quoting: int
) -> None:
    """Quotes doubled inside a quoted cell, separators and line breaks in it: RFC 4180 as LibreOffice writes it."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, quoting=quoting)
    writer.writerow(["Name", "Price", "Next payment", "Notes", "Category"])
    for name, notes, category in rows:
        writer.writerow([name, "9.99", "2026-04-05", notes, category])
    read = parse_rows(text.getvalue().encode(), "sheet.csv", Source.CSV)
    assert [(row["name"], row["notes"], row["category"]) for _where, row in read] == rows


def test_a_row_is_named_by_the_line_it_starts_on() -> None:
    data = b'Name,Price,Next payment,Notes\nNetflix,9.99,2026-04-05,"two\nlines"\nSpotify,lots,2026-04-05,x\n'
    assert [where for where, _row in parse_rows(data, "t.csv", Source.CSV)] == ["t.csv line 2", "t.csv line 4"]


def test_a_sheet_with_american_dates_is_read_month_first_throughout(service: SubscriptionService) -> None:
    """12/31/2026 can only be month-first: 01/05/2026 in the same sheet is then January 5, not May 1."""
    data = b"Name,Price,Next payment,Start date\nNetflix,$9.99,12/31/2026,\nSpotify,$4.99,01/05/2026,02/03/2025\n"
    rows = TrackerImporter(service).read(data, "us.csv", Source.CSV)
    assert [row.subscription.anchor for row in rows] == [date(2026, 12, 31), date(2025, 2, 3)]
    european = b"Name,Price,Next payment\nNetflix,9.99,31/12/2026\nSpotify,4.99,01/05/2026\n"
    rows = TrackerImporter(service).read(european, "eu.csv", Source.CSV)
    assert [row.subscription.anchor for row in rows] == [date(2026, 12, 31), date(2026, 5, 1)]
