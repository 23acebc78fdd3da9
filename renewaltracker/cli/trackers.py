"""`import FILE --from wallos|subtrackr|csv|json`: subscriptions from other trackers, spreadsheets or our export."""

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
    from renewaltracker.services.tracker_import import Row

# Spelled out so that building the parser (--help) loads no importer; tests keep them in step with the service.
SOURCES = ("wallos", "subtrackr", "csv", "json")
MAP_ROLES = ("name", "amount", "currency", "cycle", "next", "start", "category", "notes", "vendor", "url", "status")


def parse_columns(text: str | None) -> dict[str, str]:
    """`name=Service,amount=3` → {"name": "Service", "amount": "3"}."""
    from renewaltracker.domain.tracker_rows import ROLES

    return parse_column_map(text, ROLES)


def _row_json(row: Row) -> dict[str, Any]:
    sub = row.subscription
    return {
        "where": row.where,
        "action": row.action,
        "duplicate_of": row.duplicate_of,
        "name": sub.name,
        "vendor": sub.vendor,
        "amount": str(sub.amount),
        "currency": sub.currency,
        "every": str(sub.interval),
        "start": sub.anchor_date.isoformat(),
        "status": sub.status.value,
        "category": sub.category,
    }


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.tracker_import import Source, TrackerImporter, read_file

    path = Path(args.file)
    columns = parse_columns(args.map)
    if columns and args.source == "json":
        raise UsageError(_("argument --map: only CSV files have columns to map"))
    importer = TrackerImporter(ctx.service)
    preview = importer.preview(read_file(path), str(path), Source(args.source), columns)
    added: list[int] = []
    if not args.dry_run:
        added = importer.apply(preview)
    if args.json:
        print_json(
            {"rows": [_row_json(row) for row in preview.rows], "added": added, "dry_run": bool(args.dry_run)}, ctx.out
        )
        return 0
    for row in preview.rows:
        sub = row.subscription
        mark = _("duplicate of {name}").format(name=row.duplicate_of) if row.duplicate_of else _("new")
        stopped = _(" (cancelled {day})").format(day=sub.cancelled_on) if sub.cancelled_on else ""
        text = _("{name}: {amount} {currency} {interval}, from {day}{stopped}").format(
            name=sub.name,
            amount=sub.amount,
            currency=sub.currency,
            interval=sub.interval.describe(),
            day=sub.anchor_date,
            stopped=stopped,
        )
        ctx.out.write(f"{mark:>12}: {text}\n")
    flagged = len(preview.rows) - len(preview.new)
    skipped = _("; {count} that look like ones already there are left out").format(count=flagged) if flagged else ""
    if args.dry_run:
        ctx.out.write(
            _("Nothing written (dry run): {count} would be added{skipped}.").format(
                count=len(preview.new), skipped=skipped
            )
            + "\n"
        )
    else:
        imported = ngettext(
            "Imported {count} subscription{skipped}.", "Imported {count} subscriptions{skipped}.", len(added)
        )
        ctx.out.write(imported.format(count=len(added), skipped=skipped) + "\n")
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "import",
        help=_("add subscriptions from Wallos, SubTrackr, a CSV of subscriptions or a Renewal Tracker JSON export"),
    )
    parser.add_argument("file", metavar="FILE", help=_("the exported file"))
    parser.add_argument("--from", dest="source", required=True, choices=SOURCES, help=_("what wrote the file"))
    parser.add_argument(
        "--map",
        metavar="ROLE=COL,…",
        help=_("CSV columns by header or number; roles: {roles}").format(roles=", ".join(MAP_ROLES)),
    )
    parser.add_argument("--dry-run", action="store_true", help=_("show the preview and write nothing"))
    parser.add_argument("--json", action="store_true", help=_("print the preview rows as JSON"))
    parser.set_defaults(handler=cmd_import)
