"""Rows from other trackers and spreadsheets: which column is which, billing cycles in three languages, duplicates."""

from __future__ import annotations

import re
from decimal import Decimal

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.interval import Interval, Unit, parse_interval
from renewaltracker.domain.statement import normalize_payee
from renewaltracker.i18n import _

# What a column can mean; `--map ROLE=COLUMN` names them.
ROLES = (
    "name",
    "amount",
    "currency",
    "cycle",
    "count",
    "next",
    "start",
    "category",
    "notes",
    "vendor",
    "url",
    "payment_method",
    "status",
    "cancelled",
)

# Header words (already folded by `fold_header`) in English, German and French, plus Wallos's and SubTrackr's.
HEADER_WORDS: dict[str, frozenset[str]] = {
    "name": frozenset(
        [
            "name",
            "service",
            "subscription",
            "title",
            "abonnement",
            "abo",
            "dienst",
            "bezeichnung",
            "nom",
            "titre",
            "produit",
            "product",
        ]
    ),
    "amount": frozenset(
        [
            "amount",
            "price",
            "cost",
            "fee",
            "betrag",
            "preis",
            "kosten",
            "gebuhr",
            "montant",
            "prix",
            "cout",
            "tarif",
            "monthly cost",
            "monatlicher betrag",
            "montant mensuel",
        ]
    ),
    "currency": frozenset(["currency", "wahrung", "devise", "monnaie"]),
    "cycle": frozenset(
        [
            "cycle",
            "interval",
            "frequency",
            "schedule",
            "period",
            "zyklus",
            "intervall",
            "turnus",
            "haufigkeit",
            "zahlungsintervall",
            "frequence",
            "periodicite",
            "periode",
            "billing cycle",
            "payment cycle",
            "billing period",
            "abrechnungszeitraum",
            "cycle de facturation",
        ]
    ),
    "count": frozenset(["schedule interval"]),
    "next": frozenset(
        [
            "next",
            "next payment",
            "next date",
            "next billing",
            "next billing date",
            "next renewal",
            "renewal",
            "renewal date",
            "due",
            "due date",
            "nachste zahlung",
            "nachste abbuchung",
            "nachste verlangerung",
            "fallig",
            "falligkeit",
            "prochain paiement",
            "prochaine echeance",
            "echeance",
            "date de renouvellement",
            "renouvellement",
        ]
    ),
    "start": frozenset(
        [
            "start",
            "start date",
            "first payment",
            "first date",
            "since",
            "startdatum",
            "beginn",
            "erste zahlung",
            "seit",
            "debut",
            "date de debut",
            "premier paiement",
            "depuis",
        ]
    ),
    "category": frozenset(["category", "kategorie", "categorie"]),
    "notes": frozenset(
        [
            "notes",
            "note",
            "comment",
            "comments",
            "notiz",
            "notizen",
            "bemerkung",
            "bemerkungen",
            "anmerkung",
            "remarque",
            "remarques",
            "commentaire",
            "commentaires",
        ]
    ),
    "vendor": frozenset(
        ["vendor", "provider", "merchant", "company", "anbieter", "handler", "firma", "fournisseur", "prestataire"]
    ),
    "url": frozenset(["url", "website", "link", "web", "webseite", "site", "lien", "site web"]),
    "payment_method": frozenset(["payment method", "zahlungsmethode", "zahlungsart", "moyen de paiement"]),
    "status": frozenset(["status", "active", "state", "aktiv", "zustand", "statut", "actif", "etat"]),
    "cancelled": frozenset(
        ["cancellation date", "cancelled", "cancelled on", "kundigungsdatum", "gekundigt am", "date de resiliation"]
    ),
}

# Words that say a row is no longer running, in the three languages and the two trackers' spellings.
INACTIVE_WORDS = frozenset(
    [
        "no",
        "false",
        "0",
        "disabled",
        "inactive",
        "cancelled",
        "canceled",
        "ended",
        "nein",
        "inaktiv",
        "gekundigt",
        "beendet",
        "non",
        "inactif",
        "annule",
        "resilie",
        "termine",
    ]
)

_CYCLE_WORDS = {
    "täglich": (1, Unit.DAY),
    "wöchentlich": (1, Unit.WEEK),
    "zweiwöchentlich": (2, Unit.WEEK),
    "monatlich": (1, Unit.MONTH),
    "vierteljährlich": (3, Unit.MONTH),
    "quartalsweise": (3, Unit.MONTH),
    "halbjährlich": (6, Unit.MONTH),
    "jährlich": (1, Unit.YEAR),
    "quotidien": (1, Unit.DAY),
    "hebdomadaire": (1, Unit.WEEK),
    "mensuel": (1, Unit.MONTH),
    "mensuelle": (1, Unit.MONTH),
    "trimestriel": (3, Unit.MONTH),
    "trimestrielle": (3, Unit.MONTH),
    "semestriel": (6, Unit.MONTH),
    "annuel": (1, Unit.YEAR),
    "annuelle": (1, Unit.YEAR),
    "semiannually": (6, Unit.MONTH),
    "semi-annually": (6, Unit.MONTH),
}
_UNIT_WORDS = {
    "tag": Unit.DAY,
    "tage": Unit.DAY,
    "woche": Unit.WEEK,
    "wochen": Unit.WEEK,
    "monat": Unit.MONTH,
    "monate": Unit.MONTH,
    "jahr": Unit.YEAR,
    "jahre": Unit.YEAR,
    "jour": Unit.DAY,
    "jours": Unit.DAY,
    "semaine": Unit.WEEK,
    "semaines": Unit.WEEK,
    "mois": Unit.MONTH,
    "an": Unit.YEAR,
    "ans": Unit.YEAR,
    "année": Unit.YEAR,
    "années": Unit.YEAR,
}
# "alle 3 Monate", "tous les 3 mois", "every 3 months": a count and a unit, the lead word in any language.
_COUNTED = re.compile(r"^(?:every|alle|tous les|toutes les|chaque)?\s*([0-9]{1,4})?\s*([a-zéè]+)$")


def fold_header(text: str) -> str:
    """A header cell compared by its letters: "Nächste Zahlung (€)" → "nachste zahlung"."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", text.casefold())
    for accented, plain in (("ä", "a"), ("ö", "o"), ("ü", "u"), ("ß", "ss"), ("é", "e"), ("è", "e"), ("ê", "e")):
        text = text.replace(accented, plain)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def guess_columns(header: list[str]) -> dict[str, int]:
    """Each role's column index by its header word: exact words first, then a header that contains one."""
    folded = [fold_header(cell) for cell in header]
    found: dict[str, int] = {}
    for role in ROLES:
        for index, cell in enumerate(folded):
            if cell in HEADER_WORDS[role] and index not in found.values():
                found[role] = index
                break
    for role in ROLES:
        if role in found:
            continue
        for index, cell in enumerate(folded):
            words = set(cell.split())
            if index not in found.values() and any(w in words for w in HEADER_WORDS[role] if " " not in w):
                found[role] = index
                break
    return found


def parse_cycle(text: str, field: str = "cycle") -> Interval:
    """A billing cycle as people and trackers write it: "Monthly", "Every 3 Months", "monatlich", "tous les 2 mois"."""
    cleaned = " ".join((text or "").strip().lower().split())
    if cleaned in _CYCLE_WORDS:
        return Interval(*_CYCLE_WORDS[cleaned])
    match = _COUNTED.match(cleaned)
    if match and match.group(2) in _UNIT_WORDS:
        return Interval(int(match.group(1) or 1), _UNIT_WORDS[match.group(2)])
    return parse_interval(text, field)


def is_inactive(text: str) -> bool:
    """True when a status cell says the subscription stopped ("No", "Disabled", "Cancelled", "gekündigt")."""
    return fold_header(text) in INACTIVE_WORDS


def duplicate_key(name: str, vendor: str, amount: Decimal, currency: str) -> set[tuple[str, Decimal, str]]:
    """The keys under which two subscriptions look like the same one: normalised name or vendor, amount, currency."""
    keys = set()
    for text in (name, vendor):
        key = normalize_payee(text)
        if key:
            keys.add((key, amount, currency))
    return keys


def check_role(role: str, option: str = "--map") -> str:
    if role not in ROLES:
        raise ValidationError(
            option, _("{role!r} is not a column role (roles: {roles})").format(role=role, roles=", ".join(ROLES))
        )
    return role
