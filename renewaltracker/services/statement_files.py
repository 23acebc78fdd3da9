"""Reading a statement file of any supported format: OFX/QFX 1.x and 2.x, ISO 20022 camt.053, or CSV."""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.money import normalize_currency
from renewaltracker.domain.statement import BankTransaction
from renewaltracker.i18n import _
from renewaltracker.services.statement_csv import CsvMapping, read_csv, sniff

MAX_STATEMENT_BYTES = 200 * 1024 * 1024


class StatementFormat(StrEnum):
    CSV = "csv"
    OFX = "ofx"
    CAMT = "camt"


@dataclass(frozen=True)
class Statement:
    """The transactions of one file, with the CSV mapping used to read it (None for OFX and camt)."""

    transactions: list[BankTransaction]
    format: StatementFormat
    mapping: CsvMapping | None = None


def read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_STATEMENT_BYTES:
            raise ValidationError(
                str(path),
                _("is larger than {megabytes} MB").format(megabytes=MAX_STATEMENT_BYTES // 2**20),
            )
        return path.read_bytes()
    except OSError as error:
        raise ValidationError(str(path), _("cannot be read: {strerror}").format(strerror=error.strerror)) from None


def detect_format(data: bytes) -> StatementFormat:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \r\n\t").upper()
    if head.startswith(b"OFXHEADER") or b"<OFX>" in head or b"<?OFX" in head:
        return StatementFormat.OFX
    if head.startswith((b"<?XML", b"<DOCUMENT")):
        return StatementFormat.CAMT
    return StatementFormat.CSV


def read_statement(
    data: bytes,
    source: str,
    format: StatementFormat | None = None,
    mapping: CsvMapping | None = None,
    default_currency: str = "EUR",
    progress: Callable[[int, int], None] | None = None,
) -> Statement:
    """Read every transaction; raise ValidationError naming the file and the line or field at fault."""
    kind = format or detect_format(data)
    if kind is StatementFormat.OFX:
        return Statement(read_ofx(data, source), kind)
    if kind is StatementFormat.CAMT:
        return Statement(read_camt(data, source), kind)
    used = mapping or sniff(data, default_currency).mapping
    return Statement(read_csv(data, used, source, progress), kind, used)


# --- OFX ----------------------------------------------------------------------------------------------------------


def read_ofx(data: bytes, source: str) -> list[BankTransaction]:
    """Bank and credit-card statements of an OFX/QFX file (SGML 1.x or XML 2.x), through ofxtools."""
    from ofxtools.models.base import UnknownTagWarning
    from ofxtools.Parser import OFXTree

    tree = OFXTree()
    try:
        with warnings.catch_warnings():  # a bank's own tag is skipped; the warning would only clutter the terminal
            warnings.simplefilter("ignore", UnknownTagWarning)
            tree.parse(io.BytesIO(data))
            ofx: Any = tree.convert()
    except Exception as error:  # ofxtools raises many types, all meaning "not a valid OFX file"
        first = next(iter(str(error).splitlines()), type(error).__name__)
        raise ValidationError(source, _("is not a valid OFX file: {first}").format(first=first)) from None
    found: list[BankTransaction] = []
    for statement in getattr(ofx, "statements", []):
        currency = str(statement.curdef)
        for line, transaction in enumerate(statement.banktranlist or [], start=1):
            posted: datetime = transaction.dtposted
            payee = transaction.name or (transaction.payee.name if getattr(transaction, "payee", None) else "")
            found.append(
                BankTransaction(
                    date=posted.date(),
                    amount=Decimal(transaction.trnamt),
                    currency=str(transaction.currency.cursym) if getattr(transaction, "currency", None) else currency,
                    payee=str(payee or ""),
                    reference=str(transaction.fitid or ""),
                    memo=str(transaction.memo or ""),
                    kind=str(transaction.trntype or "").lower(),
                    line=line,
                )
            )
    return found


# --- camt.053 -----------------------------------------------------------------------------------------------------

_CAMT_TRANSFERS = frozenset({"ICDT", "RCDT", "CCRD", "CWDL", "IRCT"})


def read_camt(data: bytes, source: str) -> list[BankTransaction]:
    """Booked entries of an ISO 20022 camt.053 (or camt.052/054) file, parsed without entity expansion."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException, LookupError) as error:  # LookupError: an encoding Python lacks
        raise ValidationError(source, _("is not a valid camt.053 file: {error}").format(error=error)) from None
    namespace = root.tag.split("}")[0] + "}" if root.tag.startswith("{") else ""

    def find(element: Element, path: str) -> Element | None:
        return element.find("/".join(namespace + part for part in path.split("/")))

    def text(element: Element, path: str) -> str:
        found = find(element, path)
        return (found.text or "").strip() if found is not None else ""

    if "camt.05" not in namespace and not root.tag.endswith("Document"):
        raise ValidationError(source, _("is not a camt.053 file (no ISO 20022 Document)"))
    transactions: list[BankTransaction] = []
    entries = root.iter(namespace + "Ntry")
    for number, entry in enumerate(entries, start=1):
        where = f"{source} entry {number}"
        status = text(entry, "Sts/Cd") or text(entry, "Sts")
        if status and status != "BOOK":
            continue
        amount_element = find(entry, "Amt")
        amount_text = (amount_element.text or "").strip() if amount_element is not None else ""
        if amount_element is None or not amount_text:
            raise ValidationError(where, _("has no Amt"))
        try:
            amount = Decimal(amount_text)  # camt amounts are plain decimals with a point
            currency = normalize_currency(amount_element.get("Ccy", ""))
        except (InvalidOperation, ValidationError):
            raise ValidationError(
                where, _("Amt {text!r} is not an amount with a currency").format(text=amount_element.text)
            ) from None
        debit = text(entry, "CdtDbtInd") == "DBIT"
        booked = text(entry, "BookgDt/Dt") or text(entry, "BookgDt/DtTm")[:10] or text(entry, "ValDt/Dt")
        try:
            day = date.fromisoformat(booked)
        except ValueError:
            raise ValidationError(where, _("BookgDt {booked!r} is not a date").format(booked=booked)) from None
        party = "Cdtr" if debit else "Dbtr"
        details = find(entry, "NtryDtls/TxDtls")
        payee = ""
        memo = ""
        if details is not None:
            payee = text(details, f"RltdPties/{party}/Nm") or text(details, f"RltdPties/{party}/Pty/Nm")
            memo = " ".join(
                (line.text or "").strip() for line in details.iter(namespace + "Ustrd") if (line.text or "").strip()
            )
        family = text(entry, "BkTxCd/Domn/Fmly/Cd")
        transactions.append(
            BankTransaction(
                date=day,
                amount=-amount if debit else amount,
                currency=currency,
                payee=payee or memo or text(entry, "AddtlNtryInf"),
                reference=text(entry, "AcctSvcrRef") or text(entry, "NtryRef"),
                memo=memo,
                kind="transfer" if family in _CAMT_TRANSFERS else ("debit" if debit else "credit"),
                line=number,
            )
        )
    return transactions
