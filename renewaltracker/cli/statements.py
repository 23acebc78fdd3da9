"""Sub-commands that bring data in and out: import-statement, export, restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renewaltracker.cli.errors import UsageError
from renewaltracker.cli.output import print_json
from renewaltracker.cli.parsing import parse_column_map
from renewaltracker.i18n import _, ngettext

if TYPE_CHECKING:
    from renewaltracker.cli.context import Context
    from renewaltracker.domain.recurring import Candidate
    from renewaltracker.domain.statement import BankTransaction


# Spelled out so that building the parser (--help) loads no statement reader; a test keeps them in step.
FORMATS = ("csv", "ofx", "camt")
ROLES = ("date", "amount", "debit", "credit", "payee", "memo", "reference", "kind", "currency")


def _transaction_json(transaction: BankTransaction) -> dict[str, Any]:
    return {
        "date": transaction.date.isoformat(),
        "amount": str(transaction.amount),
        "currency": transaction.currency,
        "payee": transaction.payee,
        "reference": transaction.reference,
    }


def _candidate_json(number: int, candidate: Candidate) -> dict[str, Any]:
    return {
        "number": number,
        "name": candidate.name,
        "vendor": candidate.vendor,
        "amount": str(candidate.amount),
        "currency": candidate.currency,
        "every": str(candidate.interval),
        "next": candidate.next_date.isoformat(),
        "confidence": candidate.confidence,
        "ended": candidate.ended,
        "price_changes": [
            {"date": c.on.isoformat(), "old": str(c.old), "new": str(c.new)} for c in candidate.price_changes
        ],
        "transactions": [_transaction_json(t) for t in candidate.transactions],
    }


def parse_map(text: str | None) -> dict[str, str]:
    """`date=Buchungstag,amount=Betrag,payee=3` → {"date": "Buchungstag", …}."""
    return parse_column_map(text, ROLES)


def parse_accept(text: str | None, count: int) -> list[int]:
    if text is None:
        return []
    if text.strip().lower() == "all":
        return list(range(1, count + 1))
    numbers: list[int] = []
    for part in text.split(","):
        if not part.strip().isdigit() or not 1 <= int(part) <= count:
            raise UsageError(
                _("argument --accept: {part!r} is not a candidate number from 1 to {count}").format(
                    part=part, count=count
                )
            )
        numbers.append(int(part))
    return numbers


def cmd_import_statement(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.statement_files import StatementFormat, read_bytes
    from renewaltracker.services.statement_import import StatementImporter

    path = Path(args.file)
    data = read_bytes(path)
    importer = StatementImporter(ctx.service)
    statement = importer.read(
        data,
        str(path),
        StatementFormat(args.format) if args.format else None,
        columns=parse_map(args.map),
        date_format=args.date_format,
        decimal_comma=True if args.decimal_comma else None,
    )
    review = importer.review(statement)
    accepted = parse_accept(args.accept, len(review.candidates))
    if args.json:
        print_json(
            {
                "candidates": [_candidate_json(n, c) for n, c in enumerate(review.candidates, start=1)],
                "matched": [
                    {
                        "subscription_id": m.subscription_id,
                        "name": m.name,
                        "price_change": [str(v) for v in m.price_change] if m.price_change else None,
                        "transactions": [_transaction_json(t) for t in m.transactions],
                    }
                    for m in review.matched
                ],
                "transactions": len(statement.transactions),
            },
            ctx.out,
        )
    else:
        ctx.out.write(
            _("{count} transactions read from {path}").format(count=len(statement.transactions), path=path) + "\n"
        )
        for number, candidate in enumerate(review.candidates, start=1):
            ended = _(" (stopped)") if candidate.ended else ""
            text = _(
                "{name}: {amount} {currency} every {interval}, next {next}{ended}, {charges} charges, "
                "confidence {confidence}"
            ).format(
                name=candidate.name,
                amount=candidate.amount,
                currency=candidate.currency,
                interval=candidate.interval,
                next=candidate.next_date,
                ended=ended,
                charges=len(candidate.transactions),
                confidence=f"{candidate.confidence:.0%}",
            )
            ctx.out.write(f"{number:>3}. {text}\n")
        for match in review.matched:
            change = (
                _(", price {old} → {new}").format(old=match.price_change[0], new=match.price_change[1])
                if match.price_change
                else ""
            )
            ctx.out.write(
                "  "
                + ngettext(
                    "= {name}: {count} new charge{change}",
                    "= {name}: {count} new charges{change}",
                    len(match.transactions),
                ).format(name=match.name, count=len(match.transactions), change=change)
                + "\n"
            )
    if args.dry_run or (not accepted and not review.matched):
        if not args.json and not args.dry_run and review.candidates:
            ctx.out.write(_("Nothing written; choose with --accept all or --accept 1,3.") + "\n")
        return 0
    chosen = [review.candidates[n - 1] for n in accepted]
    result = importer.apply(review, chosen)
    if not args.json:
        ctx.out.write(
            _("Imported {subscriptions} and {charges}{value}.").format(
                subscriptions=ngettext("{count} subscription", "{count} subscriptions", len(result.added)).format(
                    count=len(result.added)
                ),
                charges=ngettext("{count} charge", "{count} charges", result.charges).format(count=result.charges),
                value=_(" ({count} already there)").format(count=result.skipped) if result.skipped else "",
            )
            + "\n"
        )
    return 0


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.data_export import export_csv_zip, export_json

    out = Path(args.out)
    written = export_json(ctx.service, out) if args.format == "json" else export_csv_zip(ctx.service, out)
    ctx.out.write(_("Exported to {written}").format(written=written) + "\n")
    return 0


def cmd_restore(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.data_export import restore_backup

    db_path = ctx.db_path
    ctx.close()
    aside = restore_backup(Path(args.backup), db_path)
    # Whole sentences, so each language orders its own words.
    if aside:
        done = _("Restored {db_path} from {backup}; the previous database is at {aside}")
    else:
        done = _("Restored {db_path} from {backup}")
    ctx.out.write(done.format(db_path=db_path, backup=args.backup, aside=aside) + "\n")
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    statement = commands.add_parser(
        "import-statement",
        help=_("find subscriptions in a bank statement (CSV, OFX/QFX, camt.053); nothing leaves this machine"),
    )
    statement.add_argument("file", metavar="FILE", help=_("the statement file downloaded from your bank"))
    statement.add_argument("--format", choices=FORMATS, help=_("default: detected"))
    statement.add_argument(
        "--map",
        metavar="ROLE=COL,…",
        help=_("CSV columns by name or number; roles: {roles}").format(roles=", ".join(ROLES)),
    )
    statement.add_argument("--date-format", metavar="F", help=_("CSV dates as strptime codes, e.g. %%d.%%m.%%Y"))
    statement.add_argument("--decimal-comma", action="store_true", help=_("CSV amounts are written 1.234,56"))
    statement.add_argument("--dry-run", action="store_true", help=_("show what was found and write nothing"))
    statement.add_argument("--json", action="store_true", help=_("print candidates and matches as JSON"))
    statement.add_argument("--accept", metavar="all|N,M", help=_("import these candidates (numbers as listed)"))
    statement.set_defaults(handler=cmd_import_statement)
    export = commands.add_parser("export", help=_("write everything out: lossless JSON, or CSV tables in a zip"))
    export.add_argument("--format", choices=["json", "csv"], default="json", help=_("default: json"))
    export.add_argument("--out", required=True, metavar="PATH", help=_("the file to write"))
    export.set_defaults(handler=cmd_export)
    restore = commands.add_parser(
        "restore", help=_("replace the database with a backup (the current one is copied aside first)")
    )
    restore.add_argument(
        "backup", metavar="BACKUP", help=_("a database backup (renewaltracker backup) or a JSON export")
    )
    restore.set_defaults(handler=cmd_restore)
