"""Error messages from the domain, storage and services speak the interface language: each is translated where it
is raised, so what the command line writes on stderr and what the window shows is German or French, not English."""

from __future__ import annotations

import io
import os
import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from renewaltracker.cli import run
from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.errors import DuplicateChargeError, ValidationError
from renewaltracker.i18n import install_language
from renewaltracker.services.ics_export import CalendarExporter, ExportOptions
from renewaltracker.services.ics_import import CalendarImporter
from renewaltracker.services.import_guard import PreviewOutdated
from renewaltracker.services.subscriptions import SubscriptionService
from tests.factories import make_subscription

CLOCK = FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=UTC))
ADD = ["add", "--name", "Magazine", "--amount", "9.99", "--currency", "EUR", "--every", "1m", "--start", "2026-01-01"]
BAD_CSV = b"Name,Price,Next Payment\nA,$1,2026-01-01\nB,abc,2026-01-01\n"

# (what goes wrong, arguments, the English, German and French lines the command writes on stderr)
CASES = {
    "bad amount": (
        ["add", "--name", "X", "--amount", "abc", "--every", "1m", "--start", "2027-01-01"],
        {
            "en": "renewaltracker: error: amount: 'abc' is not a number",
            "de": "renewaltracker: Fehler: amount: 'abc' ist keine Zahl",
            "fr": "renewaltracker: erreur\u00a0: amount: 'abc' n’est pas un nombre",
        },
    ),
    "bad date": (
        ["add", "--name", "X", "--amount", "1", "--every", "1m", "--start", "2027-13-45"],
        {
            "en": "renewaltracker: error: start: '2027-13-45' is not a valid date (write YYYY-MM-DD)",
            "de": "renewaltracker: Fehler: start: '2027-13-45' ist kein gültiges Datum (JJJJ-MM-TT schreiben)",
            "fr": "renewaltracker: erreur\u00a0: start: '2027-13-45' n’est pas une date valide (écrivez AAAA-MM-JJ)",
        },
    ),
    "bad cycle": (
        ["add", "--name", "X", "--amount", "1", "--every", "sometimes", "--start", "2027-01-01"],
        {
            "en": "renewaltracker: error: every: 'sometimes' is not a billing cycle; write e.g. '1 month', '2 weeks'",
            "de": "renewaltracker: Fehler: every: 'sometimes' ist kein Abrechnungszeitraum; schreiben Sie z. B.",
            "fr": "renewaltracker: erreur\u00a0: every: 'sometimes' n’est pas une période de facturation",
        },
    ),
    "zero cycle": (
        ["add", "--name", "X", "--amount", "1", "--every", "0 weeks", "--start", "2027-01-01"],
        {
            "en": "renewaltracker: error: every: the number of weeks must be at least 1",
            "de": "renewaltracker: Fehler: every: die Anzahl der Wochen muss mindestens 1 sein",
            "fr": "renewaltracker: erreur\u00a0: every: le nombre de semaines doit être au moins 1",
        },
    ),
    "unknown id": (
        ["show", "99"],
        {
            "en": "renewaltracker: error: no subscription with id 99",
            "de": "renewaltracker: Fehler: kein Abonnement mit der ID 99",
            "fr": "renewaltracker: erreur\u00a0: aucun abonnement avec l’identifiant 99",
        },
    ),
    "duplicate charge": (
        ["charge", "add", "1", "--date", "2026-02-01", "--amount", "9.99"],
        {
            "en": "renewaltracker: error: charge: a charge of €9.99 on 1 February 2026 is already recorded "
            "(charge 1); add --force to record it again",
            "de": "renewaltracker: Fehler: charge: eine Abbuchung von 9,99 € am 1. Februar 2026 ist bereits erfasst "
            "(Abbuchung 1); mit --force wird sie noch einmal erfasst",
            "fr": "renewaltracker: erreur\u00a0: charge: un prélèvement de 9,99 € le 1er février 2026 est déjà "
            "enregistré (prélèvement 1)\u00a0; ajoutez --force pour l’enregistrer à nouveau",
        },
    ),
    "bad setting": (
        ["config", "language", "klingon"],
        {
            "en": "renewaltracker: error: language: 'klingon' is not one of: en, de, fr (or empty for the system's)",
            "de": "renewaltracker: Fehler: language: 'klingon' ist keiner von: en, de, fr (oder leer für die des "
            "Systems)",
            "fr": "renewaltracker: erreur\u00a0: language: 'klingon' n’est pas l’un de\u00a0: en, de, fr (ou vide pour "
            "celle du système)",
        },
    ),
    "bad CSV row": (
        ["import", "{bad}", "--from", "csv"],
        {
            "en": "renewaltracker: error: bad.csv line 3: amount: 'abc' is not a number",
            "de": "renewaltracker: Fehler: bad.csv line 3: amount: 'abc' ist keine Zahl",
            "fr": "renewaltracker: erreur\u00a0: bad.csv line 3: amount: 'abc' n’est pas un nombre",
        },
    ),
}


def _stderr(db: Path, language: str, arguments: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str]:
    """Run one command as a user whose system speaks `language` (as LANGUAGE=de renewaltracker … does)."""
    monkeypatch.setenv("LANGUAGE", language)
    err = io.StringIO()
    code = run(["--db", str(db), *arguments], clock=CLOCK, out=io.StringIO(), err=err)
    return code, err.getvalue()


@pytest.mark.parametrize("language", ["en", "de", "fr"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_the_command_line_reports_an_error_in_the_interface_language(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str, language: str
) -> None:
    assert _stderr(db_path, "en", ADD, monkeypatch)[0] == 0
    assert (
        _stderr(db_path, "en", ["charge", "add", "1", "--date", "2026-02-01", "--amount", "9.99"], monkeypatch)[0] == 0
    )
    bad = tmp_path / "bad.csv"
    bad.write_bytes(BAD_CSV)
    arguments, expected = CASES[case]
    code, err = _stderr(db_path, language, [part.format(bad=bad) for part in arguments], monkeypatch)
    assert code == 2 and err.count("\n") == 1
    assert err.replace(f"{tmp_path}{os.sep}", "").startswith(expected[language]), err


def test_a_database_from_a_newer_version_is_refused_in_german_and_french(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.close()
    assert (
        "wurde von einer neueren Version von Renewal Tracker geschrieben (Schema 9999_from_the_future); "
        in (_stderr(db_path, "de", ["list"], monkeypatch)[1])
    )
    assert (
        "a été écrite par une version plus récente de Renewal Tracker (schéma 9999_from_the_future)\u00a0;"
        in (_stderr(db_path, "fr", ["list"], monkeypatch)[1])
    )


def test_another_programs_database_is_refused_in_german_and_french(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = tmp_path / "places.sqlite"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    connection.close()
    german = _stderr(foreign, "de", ["list"], monkeypatch)[1]
    assert german == (
        f"renewaltracker: Fehler: {foreign} ist die SQLite-Datenbank eines anderen Programms, keine von Renewal "
        "Tracker; sie wurde nicht verändert\n"
    )
    french = _stderr(foreign, "fr", ["list"], monkeypatch)[1]
    assert "est la base de données SQLite d’un autre programme, pas celle de Renewal Tracker\u00a0;" in french


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", "eine Abbuchung von 9,99 € am 1. Februar 2026 ist bereits erfasst (Abbuchung 1)"),
        ("fr", "un prélèvement de 9,99 € le 1er février 2026 est déjà enregistré (prélèvement 1)"),
    ],
)
def test_the_services_raise_the_window_s_duplicate_charge_message_translated(
    service: SubscriptionService, language: str, expected: str
) -> None:
    added = service.add(make_subscription(name="Magazine", amount=Decimal("9.99"), currency="EUR"))
    assert added.id is not None
    service.record_charge(added.id, date(2026, 2, 1), Decimal("9.99"))
    install_language(language)
    with pytest.raises(DuplicateChargeError) as raised:
        service.record_charge(added.id, date(2026, 2, 1), Decimal("9.99"))
    assert raised.value.field == "charge"  # the window still finds the field it belongs to
    assert raised.value.problem == expected


def renamed_since_exported(service: SubscriptionService) -> tuple[CalendarImporter, Any, int]:
    """A calendar import's preview that would update "Magazine", renamed locally since the file was written."""
    kept = service.add(make_subscription(name="Magazine", amount=Decimal("4.99")))
    assert kept.id is not None
    exported = CalendarExporter(service).to_ics(ExportOptions())
    service.edit(kept.id, name="Renamed")
    importer = CalendarImporter(service)
    return importer, importer.preview(exported), kept.id


@pytest.mark.parametrize(
    ("language", "deleted", "outdated"),
    [
        ("de", "(Abonnement ", "wurde gelöscht, nachdem die Vorschau erstellt wurde, in einem anderen Fenster"),
        ("fr", "(abonnement ", "a été supprimé après la création de l’aperçu, dans une autre fenêtre"),
    ],
)
def test_an_outdated_import_preview_is_refused_in_the_interface_language(
    service: SubscriptionService, language: str, deleted: str, outdated: str
) -> None:
    importer, preview, kept_id = renamed_since_exported(service)
    service.delete(kept_id)
    install_language(language)
    with pytest.raises(PreviewOutdated) as raised:
        importer.apply(preview)
    assert raised.value.field.startswith("'Renamed' " + deleted)
    assert raised.value.problem.startswith(outdated)


def test_a_validation_error_keeps_its_field_as_the_identifier_the_user_typed() -> None:
    from renewaltracker.domain.amounts import read_amount

    install_language("de")
    with pytest.raises(ValidationError) as raised:
        read_amount("abc")
    assert (raised.value.field, raised.value.problem) == ("amount", "'abc' ist keine Zahl")


@pytest.mark.parametrize(
    ("language", "changed"),
    [("de", "wurde geändert (Betrag, Notizen)"), ("fr", "a été modifié (Montant, Notes)")],
)
def test_an_outdated_preview_names_what_changed_by_the_form_s_labels(
    service: SubscriptionService, language: str, changed: str
) -> None:
    importer, preview, kept_id = renamed_since_exported(service)
    service.edit(kept_id, amount=Decimal("7.49"), notes="changed in another window")
    install_language(language)
    with pytest.raises(PreviewOutdated) as raised:
        importer.apply(preview)
    assert raised.value.problem.startswith(changed)


def test_every_subscription_attribute_an_import_can_name_has_a_label() -> None:
    from dataclasses import fields

    from renewaltracker.domain.field_labels import attribute_label
    from renewaltracker.domain.subscription import Subscription

    bookkeeping = {"id", "created_at", "updated_at", "revision", "schedule"}
    named = [f.name for f in fields(Subscription) if f.name not in bookkeeping]
    unlabelled = [name for name in named if attribute_label(name) == name]
    assert unlabelled == []
