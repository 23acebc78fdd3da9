"""Statement files of real formats, reviewing and importing them, and everything back out."""

from __future__ import annotations

import calendar
import shutil
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from benchmarks.statement_generator import statement
from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.recurring import Candidate, detect_recurring
from renewaltracker.domain.statement import BankTransaction
from renewaltracker.services.data_export import export_csv_zip, export_data, export_json, neutralize, restore_backup
from renewaltracker.services.statement_csv import sniff
from renewaltracker.services.statement_files import StatementFormat, read_statement
from renewaltracker.services.statement_import import StatementImporter, subscription_from
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.backup import backup_database
from renewaltracker.storage.database import open_database
from tests.factories import make_subscription, rising_statement


@contextmanager
def fresh_importer(
    migrated_template: Path, clock: FixedClock
) -> Iterator[tuple[SubscriptionService, StatementImporter]]:
    """A service and an importer over a database of their own (a hypothesis example may not share the fixture's)."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copyfile(migrated_template, Path(folder) / "db.sqlite3")
        database = open_database(Path(folder) / "db.sqlite3")
        try:
            service = SubscriptionService(database, clock)
            yield service, StatementImporter(service)
        finally:
            database.close()


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "statements"
FILES = [
    "bank-ofx1.ofx",
    "bank-ofx2.qfx",
    "bank-camt053.xml",
    "bank-de-cp1252.csv",
    "bank-uk-bom.csv",
    "bank-fr-latin1.csv",
]


@pytest.mark.parametrize("name", FILES)
def test_every_format_reads_the_same_transactions_and_finds_the_same_plans(name: str) -> None:
    statement = read_statement((FIXTURES / name).read_bytes(), name)
    assert len(statement.transactions) == 63
    salary = [t for t in statement.transactions if t.amount == Decimal("3150.00")]
    assert len(salary) == 12
    assert {(c.name, c.amount, c.interval) for c in detect_recurring(statement.transactions)} == {
        ("Netflix", Decimal("15.49"), Interval(1, Unit.MONTH)),
        ("Spotify", Decimal("10.99"), Interval(1, Unit.MONTH)),
        ("Adobe Acrobat", Decimal("89.00"), Interval(1, Unit.YEAR)),
    }


def test_csv_styles_are_detected() -> None:
    german = sniff((FIXTURES / "bank-de-cp1252.csv").read_bytes()).mapping
    assert (german.encoding, german.delimiter, german.header_row, german.date_format, german.decimal_comma) == (
        "cp1252",
        ";",
        3,
        "%d.%m.%Y",
        True,
    )
    uk = sniff((FIXTURES / "bank-uk-bom.csv").read_bytes()).mapping
    assert (uk.encoding, uk.columns["debit"], uk.columns["credit"], uk.date_format) == (
        "utf-8-sig",
        "Paid out",
        "Paid in",
        "%d/%m/%Y",
    )
    french = sniff((FIXTURES / "bank-fr-latin1.csv").read_bytes()).mapping
    assert french.columns["payee"] == "Libellé" and french.columns["debit"] == "Débit"


def test_a_bad_cell_names_the_file_and_line() -> None:
    data = b"Date,Description,Amount\n2024-01-01,Shop,-1.00\n2024-13-45,Shop,-2.00\n"
    with pytest.raises(ValidationError, match=r"bank\.csv line 3: '2024-13-45' in column 'Date' is not a date"):
        read_statement(data, "bank.csv")
    with pytest.raises(ValidationError, match="is not a valid OFX file"):
        read_statement(b"OFXHEADER:100\n<OFX><broken", "x.ofx")
    with pytest.raises(ValidationError, match="camt"):
        read_statement(
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Document>&a;</Document>',
            "x.xml",
            StatementFormat.CAMT,
        )


def test_import_writes_accepted_plans_with_charges_and_never_twice(service: SubscriptionService) -> None:
    importer = StatementImporter(service)
    data = (FIXTURES / "bank-de-cp1252.csv").read_bytes()
    review = importer.review(importer.read(data, "bank.csv"))
    netflix = next(c for c in review.candidates if c.name == "Netflix")
    adobe = next(c for c in review.candidates if c.name == "Adobe Acrobat")
    result = importer.apply(review, [netflix], dismissed=[adobe])
    assert len(result.added) == 1 and result.charges == 12
    saved = service.get(result.added[0])
    assert (saved.amount, saved.interval, saved.anchor.isoformat() if saved.anchor else None) == (
        Decimal("15.49"),
        Interval(1, Unit.MONTH),
        "2024-01-15",
    )
    charges = service.charges(saved.id or 0)
    assert {c.source for c in charges} == {"statement"}
    # The same file again, then an overlapping one in another format: nothing twice, the dismissal remembered.
    for name in ("bank-de-cp1252.csv", "bank-camt053.xml"):
        again = importer.review(importer.read((FIXTURES / name).read_bytes(), name))
        assert [c.name for c in again.candidates] == ["Spotify"]
        assert again.dismissed == 1
        assert all(not m.transactions for m in again.matched)
        importer.apply(again, [])
    assert len(service.charges(saved.id or 0)) == 12
    assert len(service.all()) == 1


def test_a_price_change_on_a_tracked_subscription_is_flagged(service: SubscriptionService) -> None:
    tracked = service.add(make_subscription(name="Netflix", amount=Decimal("11.99"), currency="EUR"))
    importer = StatementImporter(service)
    review = importer.review(importer.read((FIXTURES / "bank-ofx1.ofx").read_bytes(), "bank.ofx"))
    (match,) = [m for m in review.matched if m.subscription_id == tracked.id]
    assert match.price_change == (Decimal("11.99"), Decimal("15.49"))
    result = importer.apply(review, [])
    assert result.price_changes == ["Netflix: 11.99 → 15.49"]
    assert "price change" in service.charges(tracked.id or 0)[0].note


def test_what_the_import_writes_into_notes_is_in_the_interface_language(service: SubscriptionService) -> None:
    from renewaltracker.i18n import install_language

    tracked = service.add(make_subscription(name="Netflix", amount=Decimal("11.99"), currency="EUR"))
    importer = StatementImporter(service)
    install_language("de")
    try:
        review = importer.review(importer.read((FIXTURES / "bank-ofx1.ofx").read_bytes(), "bank.ofx"))
        result = importer.apply(review, review.candidates)
    finally:
        install_language("en")
    noted = [c.note for c in service.charges(tracked.id or 0) if c.note]
    assert noted and all(note.startswith("Preisänderung: 11,99") and "15,49" in note for note in noted)
    found = [service.get(sid).notes for sid in result.added]
    assert found and all(notes.startswith("In einem Kontoauszug gefunden") for notes in found)


def test_the_bank_mapping_is_saved_and_reused(service: SubscriptionService) -> None:
    importer = StatementImporter(service)
    data = (FIXTURES / "bank-uk-bom.csv").read_bytes()
    statement = importer.read(data, "uk.csv", columns={"payee": "Type"})
    importer.apply(importer.review(statement), [])
    assert importer.mapping_for(data).columns["payee"] == "Type"


def test_json_export_round_trips_into_an_empty_database(service: SubscriptionService, tmp_path: Path) -> None:
    importer = StatementImporter(service)
    review = importer.review(importer.read((FIXTURES / "bank-camt053.xml").read_bytes(), "camt.xml"))
    importer.apply(review, review.candidates[:2], dismissed=review.candidates[2:])
    service.set_setting("default_currency", "GBP")
    out = export_json(service, tmp_path / "export.json")
    target = tmp_path / "restored.sqlite3"
    assert restore_backup(out, target) is None
    restored_db = open_database(target)
    try:
        restored = export_data(SubscriptionService(restored_db, service.clock))
    finally:
        restored_db.close()
    original = export_data(service)
    assert restored["tables"] == original["tables"]
    assert original["tables"]["charges"] and original["tables"]["dismissed_candidates"]


def test_csv_export_neutralises_formulas(service: SubscriptionService, tmp_path: Path) -> None:
    service.add(make_subscription(name='=HYPERLINK("http://x")', notes="+1 @me"))
    archive = zipfile.ZipFile(export_csv_zip(service, tmp_path / "export.zip"))
    text = archive.read("subscriptions.csv").decode()
    assert "'=HYPERLINK" in text and "'+1 @me" in text
    assert [neutralize(v) for v in ("-5", "@a", "\tx", "\rx", "ok", None)] == ["'-5", "'@a", "'\tx", "'\rx", "ok", ""]


def test_restore_checks_the_backup_and_keeps_the_current_database(service: SubscriptionService, tmp_path: Path) -> None:
    path = service.database.path
    assert path is not None
    service.add(make_subscription(name="Kept"))
    good = backup_database(path, tmp_path / "good.sqlite3")
    service.add(make_subscription(name="After the backup"))
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError):
        restore_backup(broken, path)
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(ValidationError):
        restore_backup(tmp_path / "notes.txt", path)
    assert len(service.all()) == 2  # nothing replaced
    service.database.close()
    aside = restore_backup(good, path)
    assert aside is not None and aside.exists()
    reopened = open_database(path)
    try:
        assert [s.name for s in SubscriptionService(reopened, service.clock).all()] == ["Kept"]
    finally:
        reopened.close()


def test_a_price_change_is_recorded_in_the_price_history_from_the_first_new_charge(
    service: SubscriptionService,
) -> None:
    tracked = service.add(
        make_subscription(name="StreamCo", amount=Decimal("9.99"), currency="USD", anchor=date(2025, 6, 5))
    )
    sid = tracked.id or 0
    importer = StatementImporter(service)
    review = importer.review(importer.read(rising_statement(), "bank.csv"))
    (match,) = review.matched
    assert (match.price_change, match.changed_on) == ((Decimal("9.99"), Decimal("12.99")), date(2025, 11, 5))
    result = importer.apply(review, [])
    (changed,) = result.changed
    assert (changed.subscription_id, changed.old, changed.new, changed.is_increase) == (
        sid,
        Decimal("9.99"),
        Decimal("12.99"),
        True,
    )
    prices = service.prices(sid)
    assert prices.price_on(date(2025, 11, 4)) == Decimal("9.99")
    assert prices.price_on(date(2025, 11, 5)) == Decimal("12.99")
    assert service.get(sid).amount == Decimal("12.99")
    # The same statement again: the price is now known, nothing is flagged twice.
    again = importer.review(importer.read(rising_statement(), "bank.csv"))
    assert all(m.price_change is None for m in again.matched)


@pytest.mark.parametrize("footer", [b"Total\n", b"Balance;-15,49\n", b"\n;\n"])
def test_a_short_row_under_the_table_is_named_not_an_internal_error(footer: bytes) -> None:
    data = b"Date;Payee;Amount\n2025-01-01;Netflix;-15,49\n2025-02-01;Netflix;-15,49\n" + footer
    assert sniff(data).mapping.columns == {"date": "Date", "payee": "Payee", "amount": "Amount"}
    try:
        transactions = read_statement(data, "bank.csv").transactions
    except ValidationError as error:
        assert str(error).startswith("bank.csv line 4")
    else:
        assert [t.amount for t in transactions] == [Decimal("-15.49")] * 2


def test_a_zero_in_separate_debit_and_credit_columns_is_an_amount_of_zero() -> None:
    data = b"Date;Payee;Debit;Credit\n2025-01-01;Card check;0,00;\n2025-02-01;Netflix;15,49;0,00\n"
    transactions = read_statement(data, "bank.csv").transactions
    assert [t.amount for t in transactions] == [Decimal(0), Decimal("-15.49")]


@given(
    cents=st.integers(1, 99_999).filter(lambda c: c % 10 == 0),
    digits=st.sampled_from(["short", "padded"]),
)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_same_charges_written_with_fewer_decimals_are_not_added_again(
    migrated_template: Path, clock: FixedClock, cents: int, digits: str
) -> None:
    """A bank writing -10.9 for 10.90 (stored as 10.90): importing the statement again must add nothing."""
    amount = Decimal(cents) / 100
    text = f"{amount.normalize():f}" if digits == "short" else f"{amount:.3f}"
    data = ("Date,Payee,Amount\n" + "".join(f"2025-{m:02}-03,Streamly,-{text}\n" for m in range(1, 7))).encode()
    with fresh_importer(migrated_template, clock) as (service, importer):
        review = importer.review(importer.read(data, "bank.csv"))
        (candidate,) = review.candidates
        (added,) = importer.apply(review, [candidate]).added
        again = importer.review(importer.read(data, "bank.csv"))
        assert not again.candidates and all(not m.transactions for m in again.matched)
        assert importer.apply(again, []).charges == 0
        assert len(service.charges(added)) == 6


def test_a_bad_row_after_a_memo_on_two_lines_is_named_by_its_own_line() -> None:
    data = b'Date,Payee,Memo,Amount\n2024-01-01,Shop,"first\nsecond",-1.00\n2024-13-45,Shop,x,-2.00\n'
    with pytest.raises(ValidationError, match=r"^bank\.csv line 4: '2024-13-45'"):
        read_statement(data, "bank.csv")
    good = data.replace(b"2024-13-45", b"2024-02-01")
    assert [t.line for t in read_statement(good, "bank.csv").transactions] == [2, 4]


@pytest.mark.parametrize("lead", [b"\xef\xbb\xbf", b"\r\n", b"\t"])
def test_an_export_saved_with_a_bom_or_a_leading_line_break_restores(
    service: SubscriptionService, tmp_path: Path, lead: bytes
) -> None:
    service.add(make_subscription(name="Kept"))
    out = export_json(service, tmp_path / "export.json")
    out.write_bytes(lead + out.read_bytes())
    target = tmp_path / "restored.sqlite3"
    restore_backup(out, target)
    restored = open_database(target)
    try:
        assert [s.name for s in SubscriptionService(restored, service.clock).all()] == ["Kept"]
    finally:
        restored.close()


def test_a_bom_before_bytes_that_are_not_utf8_is_read_not_an_internal_error() -> None:
    data = b"\xef\xbb\xbfDate,Description,Amount\n2025-01-01,Caf\xe9 \xfd,-1.00\n"
    (transaction,) = read_statement(data, "bank.csv").transactions
    assert (transaction.payee, transaction.amount) == ("Caf\ufffd \ufffd", Decimal("-1.00"))


def test_a_camt_file_declaring_an_unknown_encoding_is_refused_in_one_line() -> None:
    data = b'<?xml version="1.0" encoding="UTF-8NaN"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053"/>'
    with pytest.raises(ValidationError, match=r"^camt\.xml: is not a valid camt\.053 file: .*UTF-8NaN"):
        read_statement(data, "camt.xml")


def test_an_ofx_tag_ofxtools_does_not_know_is_skipped_quietly(capfd: pytest.CaptureFixture[str]) -> None:
    """Banks add their own tags; reading must neither fail nor print ofxtools' warning on the terminal."""
    data = (FIXTURES / "bank-ofx1.ofx").read_bytes().replace(b"<MEMO>", b"<XBANKTAG>x<MEMO>")
    assert len(read_statement(data, "bank.ofx").transactions) == 63
    assert capfd.readouterr().err == ""


def _statement(rows: list[tuple[date, str, Decimal]], german: bool, short: bool) -> bytes:
    """The same transactions as an English or a German bank writes them, amounts with all or fewer decimals."""

    def amount(value: Decimal) -> str:
        text = f"{value.normalize():f}" if short else f"{value:.2f}"
        return text.replace(".", ",") if german else text

    if german:
        lines = ["Buchungstag;Empfänger;Betrag"]
        lines += [f"{day:%d.%m.%Y};{payee};{amount(value)}" for day, payee, value in rows]
        return "\n".join(lines).encode("cp1252")
    lines = ["Date,Description,Amount"] + [f"{day.isoformat()},{payee},{amount(value)}" for day, payee, value in rows]
    return "\n".join(lines).encode()


# The plans of a generated statement: a payee each, and what it takes (a debit, in cents up to 999.90).
PAYEES = st.sampled_from(["Streamly", "Cloudbox", "Newsdaily"])
DEBITS = st.integers(100, 99_990).map(lambda c: -Decimal(c) / 100)


@given(
    plans=st.lists(
        st.tuples(
            PAYEES,
            DEBITS,
            st.integers(1, 31),
            st.integers(3, 10),
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda plan: plan[0],
    ),
    styles=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=2, max_size=3),
)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_statement_imported_again_in_any_style_adds_no_charge_twice(
    migrated_template: Path,
    clock: FixedClock,
    plans: list[tuple[str, Decimal, int, int]],
    styles: list[tuple[bool, bool]],
) -> None:
    """Accept every plan found, then import the same transactions again (German or English, fewer decimals)."""
    rows = sorted(
        (_clipped(2025, month, day), payee, value)
        for payee, value, day, months in plans
        for month in range(1, months + 1)
    )
    with fresh_importer(migrated_template, clock) as (service, importer):
        first = importer.review(importer.read(_statement(rows, *styles[0]), "bank.csv"))
        result = importer.apply(first, first.candidates)
        charges = {s.name: len(service.charges(s.id or 0)) for s in service.all()}
        assert sum(charges.values()) == result.charges
        for german, short in styles[1:]:
            again = importer.review(importer.read(_statement(rows, german, short), "again.csv"))
            assert not again.candidates
            assert importer.apply(again, []).charges == 0
        assert {s.name: len(service.charges(s.id or 0)) for s in service.all()} == charges


def _clipped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _with_references(rows: list[tuple[date, str, Decimal]]) -> bytes:
    """The transactions as a bank writes them with a transaction id of its own on each line."""
    seen: dict[tuple[date, str, Decimal], int] = {}
    lines = ["Date,Description,Amount,Reference"]
    for row in rows:
        seen[row] = seen.get(row, 0) + 1
        day, payee, value = row
        lines.append(f"{day.isoformat()},{payee},{value:.2f},T{day:%Y%m%d}{payee[:3]}{seen[row]}")
    return "\n".join(lines).encode()


@given(
    plans=st.lists(
        st.tuples(
            PAYEES,
            DEBITS,
            st.integers(1, 28),
            st.dictionaries(st.integers(1, 10), st.integers(2, 3), max_size=3),
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda plan: plan[0],
    ),
    windows=st.tuples(st.integers(1, 5), st.integers(3, 6), st.integers(3, 6)),
    styles=st.lists(st.sampled_from(["english", "german", "short", "references"]), min_size=3, max_size=3),
)
# Found by the property: copies an earlier, shorter statement filed as double charges of the plan, then a longer one
# that shows them as a second household plan of the payee; that plan must not record them again.
@example(plans=[("Streamly", Decimal("-1"), 1, {2: 2, 3: 2, 4: 2})], windows=(1, 3, 4), styles=["english"] * 3)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_statements_with_double_charges_record_the_union_of_their_charges(
    migrated_template: Path,
    clock: FixedClock,
    plans: list[tuple[str, Decimal, int, dict[int, int]]],
    windows: tuple[int, int, int],
    styles: list[str],
) -> None:
    """Import a statement, import it again, import an overlapping later one: every double charge is kept once."""
    start, first_length, second_length = windows
    charged = sorted(
        (date(2025, month, day), payee, value)
        for payee, value, day, repeats in plans
        for month in range(1, 11)
        for _ in range(repeats.get(month, 1))
    )
    first_months = set(range(1, first_length + 1))
    second_months = set(range(start, start + second_length))

    def window(months: set[int]) -> list[tuple[date, str, Decimal]]:
        return [row for row in charged if row[0].month in months]

    def written(rows: list[tuple[date, str, Decimal]], style: str) -> bytes:
        if style == "references":
            return _with_references(rows)
        return _statement(rows, style == "german", style == "short")

    with fresh_importer(migrated_template, clock) as (service, importer):
        for months, style in zip([first_months, first_months, second_months], styles, strict=True):
            review = importer.review(importer.read(written(window(months), style), "bank.csv"))
            importer.apply(review, review.candidates)
        expected = sorted((day, value) for day, _, value in window(first_months | second_months))
        recorded = sorted((c.date, -c.amount) for s in service.all() for c in service.charges(s.id or 0))
        assert recorded == expected


def test_a_reference_on_every_charge_of_a_plan_does_not_hide_the_others(service: SubscriptionService) -> None:
    """Some banks put the direct-debit mandate's reference on each charge: it names the plan, not one charge."""
    rows = "".join(f"2025-{month:02}-07,Streamly,-9.99,MANDATE-0042\n" for month in range(1, 7))
    data = ("Date,Payee,Amount,Reference\n" + rows).encode()
    importer = StatementImporter(service)
    review = importer.review(importer.read(data, "bank.csv"))
    (added,) = importer.apply(review, review.candidates).added
    assert [c.date.month for c in service.charges(added)] == [1, 2, 3, 4, 5, 6]
    later = data + b"2025-07-07,Streamly,-9.99,MANDATE-0042\n"
    again = importer.review(importer.read(later, "bank.csv"))
    assert [len(m.transactions) for m in again.matched] == [1]
    assert importer.apply(again, []).charges == 1


@given(st.integers(0, 10_000))
@settings(max_examples=60, deadline=None)
def test_a_saved_plan_is_next_charged_when_the_preview_said(seed: int) -> None:
    """The subscription an accepted candidate becomes schedules its next charge on the preview's next date."""
    transactions, _ = statement(seed)
    for candidate in detect_recurring(transactions):
        if candidate.ended:
            continue
        saved, last = subscription_from(candidate), candidate.transactions[-1].date
        upcoming = saved.next_charge(last + timedelta(days=1))
        if upcoming is not None and upcoming < candidate.next_date and (upcoming - last).days <= 6:
            upcoming = saved.next_charge(upcoming + timedelta(days=1))  # the last charge came a few days early
        assert upcoming == candidate.next_date, candidate


@pytest.mark.parametrize(
    ("days", "due"),
    [
        # Due on the 15th, the first charge moved to Monday the 17th by a weekend.
        ([date(2024, 6, 17), date(2024, 7, 15), date(2024, 8, 15), date(2024, 9, 16)], date(2024, 10, 15)),
        # Due on the 30th, first seen in February.
        ([date(2023, 2, 28), date(2023, 3, 30), date(2023, 4, 30), date(2023, 5, 30)], date(2023, 6, 30)),
        # Every 4 weeks, the first charge a day late.
        ([date(2024, 1, 2), date(2024, 1, 29), date(2024, 2, 26), date(2024, 3, 25)], date(2024, 4, 22)),
    ],
)
def test_a_plan_whose_first_charge_was_moved_keeps_its_due_day(days: list[date], due: date) -> None:
    charges = [BankTransaction(day, Decimal("-9.99"), "EUR", "SPOTIFY") for day in days]
    (candidate,) = detect_recurring(charges)
    assert candidate.next_date == due
    assert subscription_from(candidate).next_charge(days[-1] + timedelta(days=1)) == due


def test_two_household_plans_of_one_payee_are_imported_and_kept_apart(service: SubscriptionService) -> None:
    """Each member's plan is offered and saved on its own, and a later statement extends each with its own charges."""
    rows = "".join(f"2025-{month:02}-07,Streamly,-9.99,FIT-{month}-{who}\n" for month in range(1, 7) for who in "ab")
    data = ("Date,Payee,Amount,Reference\n" + rows).encode()
    importer = StatementImporter(service)
    review = importer.review(importer.read(data, "bank.csv"))
    assert [(c.amount, len(c.transactions)) for c in review.candidates] == [(Decimal("9.99"), 6)] * 2
    added = importer.apply(review, review.candidates).added
    assert [len(service.charges(plan)) for plan in added] == [6, 6]
    later = data + b"2025-07-07,Streamly,-9.99,FIT-7-a\n2025-07-07,Streamly,-9.99,FIT-7-b\n"
    again = importer.review(importer.read(later, "bank.csv"))
    assert (again.candidates, sorted(m.subscription_id for m in again.matched)) == ([], sorted(added))
    assert importer.apply(again, []).charges == 2
    assert [len(service.charges(plan)) for plan in added] == [7, 7]


def test_two_tracked_plans_at_two_prices_of_one_payee_each_get_their_own_charges(service: SubscriptionService) -> None:
    cloud = service.add(make_subscription(name="Apple.com Bill", amount=Decimal("0.99")))
    music = service.add(make_subscription(name="Apple.com Bill", amount=Decimal("10.99")))
    rows = "".join(f"2025-{m:02}-03,APPLE.COM BILL,-{price},\n" for m in range(1, 7) for price in ("0.99", "10.99"))
    importer = StatementImporter(service)
    review = importer.review(importer.read(("Date,Payee,Amount,Reference\n" + rows).encode(), "bank.csv"))
    assert review.candidates == []
    assert all(m.price_change is None for m in review.matched)
    importer.apply(review, [])
    assert {c.amount for c in service.charges(cloud.id or 0)} == {Decimal("0.99")}
    assert {c.amount for c in service.charges(music.id or 0)} == {Decimal("10.99")}


@given(
    plans=st.lists(
        # A payee's plans at one price: `members` identical ones on its day, and as many on a second day if any.
        st.tuples(PAYEES, DEBITS, st.integers(1, 28), st.sampled_from([0, *range(8, 21)]), st.integers(1, 3)),
        min_size=1,
        max_size=3,
        unique_by=lambda plan: plan[0],
    ),
    dismiss=st.lists(st.booleans(), min_size=18, max_size=18),
    windows=st.tuples(st.integers(1, 4), st.integers(4, 6)),
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_dismissed_plan_hides_only_itself_in_the_next_statement(
    migrated_template: Path,
    clock: FixedClock,
    plans: list[tuple[str, Decimal, int, int, int]],
    dismiss: list[bool],
    windows: tuple[int, int],
) -> None:
    """Household members' plans at one payee and price, on one day or two: dismissing some hides those, and only
    those, in the next statement."""
    start, length = windows
    days = {
        (payee, value, (day - 1 + shift) % 28 + 1): members
        for payee, value, day, apart, members in plans
        for shift in {0, apart}
    }
    rows = sorted(
        (date(2025, month, day), payee, value)
        for (payee, value, day), members in days.items()
        for month in range(1, 7)
        for _ in range(members)
    )
    later = [row for row in rows if start <= row[0].month < start + length]

    def shown(candidates: list[Candidate]) -> Counter[tuple[str, Decimal, int]]:
        return Counter((c.key, c.amount, c.next_date.day) for c in candidates)

    with fresh_importer(migrated_template, clock) as (_, importer):
        review = importer.review(importer.read(_statement(rows, False, False), "bank.csv"))
        assert shown(review.candidates) == Counter(
            {(payee.upper(), -value, day): members for (payee, value, day), members in days.items()}
        )
        gone = [c for c, off in zip(review.candidates, dismiss, strict=False) if off]
        importer.apply(review, [], dismissed=gone)
        again = importer.review(importer.read(_statement(later, True, False), "later.csv"))
        assert shown(again.candidates) == shown(review.candidates) - shown(gone)
        assert again.dismissed == len(gone)
