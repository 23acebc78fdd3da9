"""Bank transactions as read from a statement, and the payee key that groups one merchant's charges."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from datetime import date as _date  # the field `date` hides the type in the class body
from decimal import Decimal
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class BankTransaction:
    """One booked line of a statement; `amount` is negative for money out, `line` points back into the file. `due`
    is the date a debit presented again was first due (its first presentation came back), for finding its cycle."""

    date: date
    amount: Decimal
    currency: str
    payee: str
    reference: str = ""
    memo: str = ""
    kind: str = ""
    line: int = 0
    due: _date | None = field(default=None, compare=False)

    @property
    def payee_key(self) -> str:
        return normalize_payee(self.payee or self.memo)


# Processors and wallets that put their name before the merchant's ("PAYPAL *SPOTIFY", "SQ *CAFE").
_PREFIXES = re.compile(
    r"^(?:PAYPAL\s*\*|PP\s*\*|SQ\s*\*|TST\s*\*|SP\s*\*|SUMUP\s*\*|ZTL\s*\*|IZ\s*\*|GOOGLE\s*\*|APPLE\s*PAY\s*\*?|"
    r"CRV\s*\*|DD\s+|PR[EÉ]L[EÈ]VEMENT\s+(?:SEPA\s+)?|PRLV\s+(?:SEPA\s+)?|POS\s+|CARD\s+PAYMENT\s+(?:TO\s+)?|LASTSCHRIFT\s+|KARTENZAHLUNG\s+|VISA\s+|MC\s+|DEBIT\s+)+"
)
# Masked or plain card numbers: "XXXX1234", "****1234", "4111 1111 1111 1111".
_CARD = re.compile(r"(?<![A-Z0-9])(?:[X*]{2,}[\s-]?)+\d{2,4}|\b(?:\d[ -]?){12,19}\b")
_DATE = re.compile(
    r"\b\d{1,4}[./-]\d{1,2}(?:[./-]\d{2,4})?\b|\b\d{1,2}\s?(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\w*(?:\s?\d{2,4})?\b"
)
# A month billed, named with its year in English, German or French: "MAR 2024", "MÄRZ 2024", "JANV-24".
_MONTH_YEAR = re.compile(
    r"\b(?:JAN(?:UARY|UAR|VIER|V)?|FEB(?:RUARY|RUAR)?|F[EÉ]V(?:RIER|R)?|M[AÄ]R(?:CH|Z|S)?|MAERZ|APR(?:IL)?|AVR(?:IL)?|"
    r"MA[YI]|JUN[EI]?|JUIN|JUL[YI]?|JUIL(?:LET)?|AUG(?:UST)?|AO[UÛ]T|SEPT?(?:EMBER|EMBRE)?|O[CK]T(?:OBER|OBRE)?|"
    r"NOV(?:EMBER|EMBRE)?|DE[CZ](?:EMBER)?|D[EÉ]C(?:EMBRE)?)[\s./-]?(?:\d{4}|\d{2})\b"
)
_TIME = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b")
_PHONE = re.compile(r"\+?\d[\d\s().-]{6,}\d")
# Reference numbers: words with a digit in them ("P0123ABCD", "#4411", "REF12"); "1PASSWORD" keeps its name.
_REFERENCE = re.compile(r"#?\b(?!\d[A-Z]{3,}\b)\w*\d\w*\b")
# One pass over all of them, in this order of preference: far faster than five passes on 10⁵ descriptors.
_VARIABLE = re.compile("|".join(f"(?:{p.pattern})" for p in (_CARD, _TIME, _MONTH_YEAR, _DATE, _PHONE, _REFERENCE)))
_PUNCT = re.compile(r"[^\w&.+' ]+")
_SPACES = re.compile(r"\s+")
# Trailing country codes and US/CA state codes that card descriptors end with.
_REGIONS = frozenset(
    [
        "US",
        "USA",
        "GB",
        "UK",
        "DE",
        "FR",
        "NL",
        "BE",
        "LU",
        "IE",
        "ES",
        "IT",
        "PT",
        "AT",
        "CH",
        "SE",
        "NO",
        "DK",
        "FI",
        "PL",
        "CZ",
        "CA",
        "AU",
        "NZ",
        "JP",
        "SG",
        "HK",
        "IN",
        "BR",
        "MX",
        "AL",
        "AK",
        "AZ",
        "AR",
        "CO",
        "CT",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IA",
        "KS",
        "KY",
        "LA",
        "MA",
        "MD",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
    ]
)
# Cities that most often trail a merchant's name; a city without a country code before it is kept.
_CITIES = frozenset(
    [
        "LONDON",
        "DUBLIN",
        "AMSTERDAM",
        "LUXEMBOURG",
        "STOCKHOLM",
        "BERLIN",
        "MUNICH",
        "MUENCHEN",
        "MÜNCHEN",
        "HAMBURG",
        "PARIS",
        "MADRID",
        "BARCELONA",
        "ROME",
        "MILANO",
        "MILAN",
        "VIENNA",
        "WIEN",
        "ZURICH",
        "ZÜRICH",
        "GENEVA",
        "BRUSSELS",
        "COPENHAGEN",
        "OSLO",
        "HELSINKI",
        "WARSAW",
        "PRAGUE",
        "LISBON",
        "CUPERTINO",
        "SUNNYVALE",
        "SEATTLE",
        "GATOS",
        "SAN",
        "FRANCISCO",
        "NEW",
        "YORK",
        "LOS",
        "ANGELES",
        "MOUNTAIN",
        "VIEW",
        "MENLO",
        "PARK",
        "REDMOND",
        "AUSTIN",
        "BOSTON",
        "CHICAGO",
        "TORONTO",
        "SYDNEY",
        "MELBOURNE",
        "SINGAPORE",
        "CORK",
    ]
)
_WORDS_KEPT = 4
_WEB_ADDRESS = re.compile(r"[A-Z0-9-]+\.(?:COM|NET|ORG|IO|TV|CO|DE|FR|UK|APP|AI)(?:/\w+)?")
_WEB_SUFFIX = re.compile(r"\.(?:COM|NET|ORG|IO|TV|CO|DE|FR|UK|APP|AI)(?:/\w+)?$")


@lru_cache(maxsize=65536)
def normalize_payee(text: str) -> str:
    """The merchant behind a bank descriptor: "PAYPAL *SPOTIFY P1234 STOCKHOLM SE" → "SPOTIFY"."""
    upper = _SPACES.sub(" ", (text or "").upper()).strip()
    upper = _PREFIXES.sub("", upper)
    upper = _VARIABLE.sub(" ", upper)
    words = _PUNCT.sub(" ", upper).split()
    words = [word.strip(".'") for word in words if word.strip(".'")]
    stripped_region = False
    while len(words) > 1 and words[-1] in _REGIONS:
        words.pop()
        stripped_region = True
    while len(words) > 1 and (words[-1] in _CITIES or (stripped_region and words[-1] in {"SAN", "LOS", "NEW"})):
        words.pop()
    # A web address names the merchant on its own: "NETFLIX.COM 866-579 LOS GATOS CA" → "NETFLIX.COM".
    for index, word in enumerate(words):
        if "." in word and _WEB_ADDRESS.fullmatch(word):
            words = words[: index + 1]
            break
    return " ".join(words[:_WORDS_KEPT])


def display_name(key: str) -> str:
    """A readable name for a payee key: "NETFLIX.COM" → "Netflix", "DISNEY PLUS" → "Disney Plus"."""
    words = [_WEB_SUFFIX.sub("", word) for word in key.split()]
    return " ".join(word.capitalize() if word.isalpha() else word for word in words if word) or key


# Words that mark a transfer between people or accounts, not a merchant's charge.
_TRANSFER = re.compile(
    r"\b(?:TRANSFER|TRF|STANDING ORDER|SO TO|ÜBERWEISUNG|UEBERWEISUNG|DAUERAUFTRAG|UMBUCHUNG|VIREMENT|"
    r"BONIFICO|TRANSFERENCIA|OVERBOEKING|SAVINGS|SPARKONTO|SPAREN|ATM|CASH WITHDRAWAL|GELDAUTOMAT|BARGELD)\b"
)
_TRANSFER_KINDS = frozenset(
    {"transfer", "xfer", "atm", "cash", "credit", "dep", "int", "div", "directdep", "so", "tfr", "fpo", "bgc"}
)


def is_transfer(transaction: BankTransaction, payee_key: str | None = None) -> bool:
    """A transfer or a cash withdrawal, by the bank's kind or the words of payee and memo: never a subscription."""
    if transaction.kind.lower() in _TRANSFER_KINDS:
        return True
    key = transaction.payee_key if payee_key is None else payee_key
    return _names_transfer(key) or (bool(transaction.memo) and _names_transfer(transaction.memo.upper()))


@lru_cache(maxsize=65536)
def _names_transfer(text: str) -> bool:
    return bool(_TRANSFER.search(text))


def charge_key(day: date, amount: Decimal) -> str:
    """A charge as date|amount, by value: a bank's "-10.9" is the charge stored as 10.90, not a new one."""
    return f"{day.isoformat()}|{abs(amount).normalize():f}"


@dataclass(frozen=True, slots=True)
class RecordedCharge:
    """A charge already in a plan's history, as a statement import recognises it again."""

    date: date
    amount: Decimal
    reference: str = ""


def unrecorded(transactions: Sequence[BankTransaction], recorded: Iterable[RecordedCharge]) -> list[BankTransaction]:
    """The transactions not yet recorded, counted as a multiset: a second identical charge is new until it is stored."""
    recorded = list(recorded)
    counts = Counter(charge_key(charge.date, charge.amount) for charge in recorded)
    # A reference names one transaction only when no other line carries it (a mandate's reference is on every charge).
    in_file = Counter(t.reference for t in transactions if t.reference)
    in_history = Counter(charge.reference for charge in recorded if charge.reference)
    named = {
        charge.reference: charge
        for charge in recorded
        if in_history[charge.reference] == 1 and in_file[charge.reference] == 1
    }
    rest: list[BankTransaction] = []
    for transaction in transactions:
        same = named.get(transaction.reference) if transaction.reference else None
        if same is not None:
            counts[charge_key(same.date, same.amount)] -= 1
        else:
            rest.append(transaction)
    fresh: list[BankTransaction] = []
    for transaction in rest:
        key = charge_key(transaction.date, transaction.amount)
        if counts[key] > 0:
            counts[key] -= 1
        else:
            fresh.append(transaction)
    return fresh
