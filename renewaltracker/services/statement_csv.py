"""Bank statements as CSV from any bank: encoding, delimiter, header, columns and number style detected."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from renewaltracker.domain.amounts import read_amount
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.money import normalize_currency
from renewaltracker.domain.statement import BankTransaction
from renewaltracker.i18n import _

DATE_FORMATS = (
    "%Y-%m-%d",
    "%d.%m.%Y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d-%m-%Y",
    "%Y/%m/%d",
    "%d.%m.%y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%Y%m%d",
    "%d %b %Y",
    "%d-%b-%Y",
    "%b %d, %Y",
)
# Header words per role, in the languages of the banks people use most; compared without case or punctuation.
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    "date": (
        "date", "booking date", "transaction date", "posted date", "posting date", "buchungstag", "buchungsdatum",
        "datum", "date operation", "date de l operation", "fecha", "data", "completed date", "started date",
    ),
    "amount": ("amount", "betrag", "montant", "importe", "bedrag", "importo", "umsatz", "transaction amount", "value"),
    "debit": ("debit", "withdrawal", "withdrawals", "paid out", "money out", "soll", "ausgang", "debit amount"),
    "credit": ("credit", "deposit", "deposits", "paid in", "money in", "haben", "eingang", "credit amount"),
    "payee": (
        "payee", "description", "beneficiary", "name", "merchant", "counterparty", "empfanger", "empfaenger",
        "begunstigter zahlungspflichtiger", "beguenstigter zahlungspflichtiger", "auftraggeber begunstigter",
        "name zahlungsbeteiligter", "libelle", "details", "narrative", "transaction description", "concepto",
    ),
    "memo": ("memo", "verwendungszweck", "purpose", "reference text", "notes", "remittance information"),
    "reference": ("reference", "ref", "transaction id", "id", "kundenreferenz", "bank reference", "fitid"),
    "kind": ("type", "transaction type", "buchungstext", "umsatzart", "art"),
    "currency": ("currency", "wahrung", "waehrung", "devise", "moneda", "ccy"),
}  # fmt: skip
ROLES = tuple(ROLE_WORDS)
_PLAIN_NUMBER = re.compile(r"^\d+(?:[.,]\d{1,2})?$")


@dataclass(frozen=True)
class CsvMapping:
    """How one bank writes its CSV: saved per bank (by `signature`) and reused for its next statement."""

    encoding: str = "utf-8"
    delimiter: str = ","
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    date_format: str = "%Y-%m-%d"
    decimal_comma: bool = False
    currency: str = "EUR"
    signature: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> CsvMapping:
        return cls(**json.loads(text))

    def with_overrides(
        self, columns: dict[str, str] | None = None, date_format: str | None = None, decimal_comma: bool | None = None
    ) -> CsvMapping:
        """This mapping corrected by the user: some columns named, the date format or number style given."""
        merged = {**self.columns, **(columns or {})}
        if columns and ("debit" in columns or "credit" in columns):
            merged.pop("amount", None)
        if columns and "amount" in columns:
            merged.pop("debit", None)
            merged.pop("credit", None)
        return replace(
            self,
            columns=merged,
            date_format=date_format or self.date_format,
            decimal_comma=self.decimal_comma if decimal_comma is None else decimal_comma,
        )


@dataclass(frozen=True)
class CsvPreview:
    """What was detected, with the header and the first rows to show the user."""

    mapping: CsvMapping
    header: list[str]
    rows: list[list[str]]


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 with or without BOM, else Windows-1252, else Latin-1 (never fails)."""
    if data.startswith(b"\xef\xbb\xbf"):  # the mark says UTF-8: a damaged byte shows as �, not as another code page
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _key(text: str) -> str:
    folded = text.lower().replace("ä", "a").replace("ü", "u").replace("ö", "o").replace("é", "e").replace("è", "e")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def header_signature(header: list[str]) -> str:
    """The same bank's export has the same header: that names the saved mapping."""
    return hashlib.sha256("\x1f".join(_key(cell) for cell in header).encode()).hexdigest()[:16]


def sniff(data: bytes, default_currency: str = "EUR") -> CsvPreview:
    """Detect encoding, delimiter, header row, columns, date format and decimal style; raise if it is no table."""
    text, encoding = decode(data)
    sample = text[:20000]
    delimiter = _delimiter(sample)
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise ValidationError(f"file line {reader.line_num}", _("is not CSV: {error}").format(error=error)) from None
    header_row = _header_row(rows)
    if header_row is None:
        raise ValidationError("file", _("no header row with a date and an amount column was found"))
    header = [cell.strip() for cell in rows[header_row]]
    body = [row for row in rows[header_row + 1 : header_row + 60] if any(cell.strip() for cell in row)]
    columns = _columns(header, body)
    # A row shorter than the header (a "Total" or balance line under the table) has no cell to look at.
    amount_cells = [
        row[position]
        for row in body
        for role in ("amount", "debit", "credit")
        if role in columns and (position := header.index(columns[role])) < len(row)
    ]
    dates = [row[header.index(columns["date"])] for row in body if "date" in columns and len(row) == len(header)]
    mapping = CsvMapping(
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        columns=columns,
        date_format=guess_date_format(dates),
        decimal_comma=_decimal_comma(amount_cells),
        currency=default_currency,
        signature=header_signature(header),
    )
    return CsvPreview(mapping, header, body[:10])


def _delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:40] if line.strip()]
    best, score = ",", -1
    for candidate in (";", ",", "\t", "|"):
        counts = [line.count(candidate) for line in lines]
        common = max(set(counts), key=counts.count) if counts else 0
        steady = sum(1 for count in counts if count == common and count > 0)
        if common >= 2 and steady > score:
            best, score = candidate, steady
    return best


def _header_row(rows: list[list[str]]) -> int | None:
    """The first row naming a date and an amount column (banks often put account details above it)."""
    for index, row in enumerate(rows[:40]):
        keys = [_key(cell) for cell in row]
        has_date = any(k in ROLE_WORDS["date"] or k.startswith(("date", "datum", "buchung")) for k in keys)
        has_amount = any(k in ROLE_WORDS[r] for k in keys for r in ("amount", "debit", "credit"))
        if has_date and has_amount:
            return index
    return None


def _columns(header: list[str], body: list[list[str]]) -> dict[str, str]:
    columns: dict[str, str] = {}
    keys = [_key(cell) for cell in header]
    for role, words in ROLE_WORDS.items():
        exact = next((header[i] for i, k in enumerate(keys) if k in words and header[i] not in columns.values()), None)
        loose = next(
            (
                header[i]
                for i, k in enumerate(keys)
                if any(k.startswith(w) for w in words if len(w) > 3) and header[i] not in columns.values()
            ),
            None,
        )
        if exact or loose:
            columns[role] = exact or loose or ""
    if "amount" in columns and ("debit" in columns or "credit" in columns):
        columns.pop("debit", None)
        columns.pop("credit", None)
    if "payee" not in columns and "memo" in columns:
        columns["payee"] = columns.pop("memo")
    return columns


def guess_date_format(cells: list[str]) -> str:
    """The first format every non-empty cell parses with (day-first before month-first when both do)."""
    values = [cell.strip() for cell in cells if cell.strip()]
    for fmt in DATE_FORMATS:
        try:
            for value in values:
                datetime.strptime(value, fmt)
        except ValueError:
            continue
        return fmt
    return DATE_FORMATS[0]


def _decimal_comma(cells: list[str]) -> bool:
    comma = sum(1 for cell in cells if re.search(r",\d{1,2}\s*(?:[-+]|[a-zA-Z]{2})?$", cell.strip()))
    point = sum(1 for cell in cells if re.search(r"\.\d{1,2}\s*(?:[-+]|[a-zA-Z]{2})?$", cell.strip()))
    return comma > point


@lru_cache(maxsize=8192)
def _date(text: str, fmt: str) -> date:
    return datetime.strptime(text, fmt).date()


def parse_amount_cell(text: str, decimal_comma: bool, field_name: str = "amount") -> Decimal | None:
    """A signed amount as banks write it: "-12,99", "12.99-", "(12.99)", "12.99 DR", "€ 1.299,00"; None if empty."""
    cell = text.strip().replace("\u2212", "-")
    if not cell:
        return None
    negative = False
    upper = cell.upper()
    if upper.endswith(("DR", "CR")):
        negative, cell = upper.endswith("DR"), cell[:-2].strip()
    if cell.startswith("(") and cell.endswith(")"):
        negative, cell = True, cell[1:-1].strip()
    if cell.endswith("-"):
        negative, cell = True, cell[:-1].strip()
    elif cell.startswith("-"):
        negative, cell = True, cell[1:].strip()
    cell = cell.removeprefix("+").removesuffix("+").strip()
    if _PLAIN_NUMBER.match(cell):  # the common case, read directly: 10⁵ rows must parse in well under a second
        value = Decimal(cell.replace(",", ".")) if (("," in cell) == decimal_comma) else None
        if value is not None:
            return -value if negative else value
    read = read_amount(cell, field_name, locale="de_DE" if decimal_comma else "en_US").value
    return -read if negative else read


def read_csv(
    data: bytes, mapping: CsvMapping, source: str = "file", progress: Callable[[int, int], None] | None = None
) -> list[BankTransaction]:
    """Every booked line, in file order; a bad cell raises ValidationError naming the file, line and column.

    `progress(done, total)` is called every 2,000 rows; the window's cancel flag raises from it."""
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data[3:].decode("utf-8", "replace") if bom else data.decode(mapping.encoding, "replace")
    reader = csv.reader(io.StringIO(text), delimiter=mapping.delimiter)
    header: list[str] | None = None
    found: list[BankTransaction] = []
    columns = mapping.columns
    for role in ("date", "payee"):
        if role not in columns:
            raise ValidationError(
                f"{source}", _("no {role} column (name it with --map {role}=COLUMN)").format(role=role)
            )
    if "amount" not in columns and "debit" not in columns and "credit" not in columns:
        raise ValidationError(f"{source}", _("no amount column (name it with --map amount=COLUMN)"))
    index: dict[str, int] = {}
    rows: list[list[str]] = []
    starts: list[int] = []  # the file line each row starts on: a quoted memo may span lines
    try:
        ended = 0
        for row in reader:
            starts.append(ended + 1)
            ended = reader.line_num
            rows.append(row)
    except csv.Error as error:
        raise ValidationError(
            f"{source} line {reader.line_num}", _("is not CSV: {error}").format(error=error)
        ) from None
    for number, row in enumerate(rows, start=1):
        if progress is not None and number % 2000 == 0:
            progress(number, len(rows))
        if number <= mapping.header_row:
            continue
        if header is None:
            header = [cell.strip() for cell in row]
            index = {role: _column_index(header, name, source) for role, name in columns.items()}
            continue
        if not any(cell.strip() for cell in row):
            continue
        found.append(_transaction(row, index, mapping, source, starts[number - 1]))
    if header is None:
        raise ValidationError(source, _("is empty"))
    return found


def _column_index(header: list[str], name: str, source: str) -> int:
    if name in header:
        return header.index(name)
    keys = [_key(cell) for cell in header]
    if _key(name) in keys:
        return keys.index(_key(name))
    if name.isdigit() and 1 <= int(name) <= len(header):
        return int(name) - 1
    raise ValidationError(
        source, _("has no column {name!r} (columns: {header})").format(name=name, header=", ".join(header))
    )


def _transaction(row: list[str], index: dict[str, int], mapping: CsvMapping, source: str, line: int) -> BankTransaction:
    def cell(role: str) -> str:
        position = index.get(role)
        return row[position].strip() if position is not None and position < len(row) else ""

    where = f"{source} line {line}"
    try:
        day = _date(cell("date"), mapping.date_format)
    except ValueError:
        raise ValidationError(
            where,
            _("{cell!r} in column {column!r} is not a date ({date_format})").format(
                cell=cell("date"), column=mapping.columns["date"], date_format=mapping.date_format
            ),
        ) from None
    try:
        if "amount" in index:
            amount = parse_amount_cell(cell("amount"), mapping.decimal_comma)
        else:
            debit = parse_amount_cell(cell("debit"), mapping.decimal_comma)
            credit = parse_amount_cell(cell("credit"), mapping.decimal_comma)
            # "0,00" is an amount (a card check); only two empty cells are none.
            found = debit is not None or credit is not None
            amount = (credit or Decimal(0)) - abs(debit or Decimal(0)) if found else None
    except (ValidationError, InvalidOperation) as error:
        problem = error.problem if isinstance(error, ValidationError) else "is not a number"
        raise ValidationError(where, _("amount {problem}").format(problem=problem)) from None
    if amount is None:
        raise ValidationError(where, _("has no amount"))
    currency = cell("currency") or mapping.currency
    try:
        currency = normalize_currency(currency)
    except ValidationError:
        raise ValidationError(where, _("{currency!r} is not a currency code").format(currency=currency)) from None
    return BankTransaction(
        date=day,
        amount=amount,
        currency=currency,
        payee=cell("payee"),
        reference=cell("reference"),
        memo=cell("memo"),
        kind=cell("kind"),
        line=line,
    )
