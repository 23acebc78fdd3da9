"""Sub-commands for calendars: export-ics, import-ics, caldav-sync."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from renewaltracker.cli.errors import UsageError
from renewaltracker.cli.output import print_json, print_table, terminal_safe
from renewaltracker.cli.parsing import parse_ids
from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import _, ngettext

if TYPE_CHECKING:
    from renewaltracker.cli.context import Context
    from renewaltracker.services.caldav_sync import CalDAVSync
    from renewaltracker.services.ics_import import ImportPreview

PASSWORD_VARIABLE = "RENEWALTRACKER_CALDAV_PASSWORD"


def cmd_export(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.ics_export import CalendarExporter, ExportOptions, Scope

    ids: tuple[int, ...] = args.ids or ()
    scope = Scope.SELECTED if ids else (Scope.ACTIVE if args.active_only else Scope.ALL)
    options = ExportOptions(
        scope=scope, ids=ids, include_amounts=not args.no_amounts, expanded=args.expanded, calendar_name=args.name
    )
    exporter = CalendarExporter(ctx.service)
    if args.out in (None, "-"):
        data = exporter.to_ics(options)
        # Bytes, so the CRLF line ends survive on every platform.
        buffer = getattr(ctx.out, "buffer", None)
        if buffer is not None:
            ctx.out.flush()
            buffer.write(data)
            buffer.flush()
        else:
            ctx.out.write(data.decode("utf-8"))
        return 0
    path = Path(args.out).expanduser()
    try:
        data = exporter.export_to(path, options)
    except OSError as error:
        raise ValidationError(
            "out", _("cannot write {path}: {strerror}").format(path=path, strerror=error.strerror or error)
        ) from None
    count = data.count(b"BEGIN:VEVENT")
    wrote = ngettext("Wrote {count} event to {path}", "Wrote {count} events to {path}", count)
    ctx.err.write(wrote.format(count=count, path=path) + "\n")
    return 0


def _preview_json(preview: ImportPreview) -> dict[str, object]:
    return {
        "calendar": preview.calendar_name,
        "rows": [
            {
                "key": row.key,
                "source": row.source.value,
                "action": row.action.value,
                "include": row.include,
                "name": row.name,
                "amount": row.amount or None,
                "currency": row.currency,
                "every": row.every,
                "start": row.start.isoformat() if row.start else None,
                "end_date": row.end_date.isoformat() if row.end_date else None,
                "end_count": row.end_count,
                "ends": row.ends(),
                "skipped_dates": [pause.start.isoformat() for pause in row.pauses],
                "existing_id": row.existing_id,
                "note": row.note,
                "problem": row.problem(),
            }
            for row in preview.rows
        ],
    }


def cmd_import(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.ics_import import CalendarImporter, RowAction

    importer = CalendarImporter(ctx.service)
    preview = importer.preview_file(Path(args.file).expanduser())
    if args.skip_incomplete:
        for row in preview.rows:
            if row.problem():
                row.include, row.action = False, RowAction.SKIP
    if args.json:
        print_json(_preview_json(preview), ctx.out)
    else:
        rows = [
            (
                row.action.value if row.include or row.action is not RowAction.ADD else "skip",
                row.name,
                row.amount,
                row.currency,
                row.every,
                row.start,
                row.ends(),
                row.problem() or row.note,
            )
            for row in preview.rows
        ]
        columns = ["action", "name", "amount", "currency", "every", "start", "ends", "note"]
        print_table(columns, rows, ctx.out, right=[2])
    for dropped in preview.dropped:
        ctx.err.write(
            _("Skipped, same key as an earlier item: {terminal_safe}").format(terminal_safe=terminal_safe(dropped))
            + "\n"
        )
    if args.dry_run:
        ctx.err.write(_("Dry run: nothing was imported.") + "\n")
        return 0
    problems = preview.problems()
    if problems:
        raise ValidationError(
            str(args.file),
            ngettext(
                "{count} event cannot be imported ({first}); nothing was imported. Add --skip-incomplete to import "
                "the rest",
                "{count} events cannot be imported ({first}); nothing was imported. Add --skip-incomplete to import "
                "the rest",
                len(problems),
            ).format(count=len(problems), first=problems[0]),
        )
    result = importer.apply(preview)
    ctx.err.write(
        _("Imported: {count} added, {count2} updated, {unchanged} unchanged, {skipped} skipped.").format(
            count=len(result.added), count2=len(result.updated), unchanged=result.unchanged, skipped=result.skipped
        )
        + "\n"
    )
    return 0


def _password(sync: CalDAVSync, ctx: Context) -> str:
    from renewaltracker.services.secrets import SecretUnavailable

    account = sync.account()
    stored = sync.stored_password(account)
    if stored is not None:
        return stored
    from_environment = os.environ.get(PASSWORD_VARIABLE)
    if from_environment:  # an empty variable counts as unset, not as an empty password
        ctx.err.write(
            _("Using the password from ${PASSWORD_VARIABLE} (none is stored in the keyring).").format(
                PASSWORD_VARIABLE=PASSWORD_VARIABLE
            )
            + "\n"
        )
        return from_environment
    ctx.err.write(
        _("No password in the keyring for {user}: reading it from standard input.").format(
            user=account.user or "this account"
        )
        + "\n"
    )
    line = sys.stdin.readline()
    if not line:
        raise ValidationError(
            "password",
            _("none given; pipe it in or set ${password_variable}").format(password_variable=PASSWORD_VARIABLE),
        )
    password = line.rstrip("\r\n")
    try:
        sync.store_password(account, password)
        ctx.err.write(_("Stored the password in the system keyring for next time.") + "\n")
    except SecretUnavailable as error:
        ctx.err.write(_("Not stored: {error}").format(error=error) + "\n")
    return password


def cmd_caldav_sync(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.caldav_sync import CalDAVSync, SyncError
    from renewaltracker.services.secrets import KeyringSecretStore

    given = {"caldav_url": args.url, "caldav_user": args.user, "caldav_calendar": args.calendar}
    ctx.service.set_settings({key: value for key, value in given.items() if value is not None})
    sync = CalDAVSync(ctx.service, KeyringSecretStore())
    if not sync.account().url:
        raise UsageError(
            _(
                "no CalDAV server is set up: give its address with --url https://…, and --user NAME and "
                "--calendar NAME if it needs them (all three are remembered)"
            )
        )
    password = _password(sync, ctx)

    def progress(done: int, total: int, message: str) -> None:
        if args.verbose:
            ctx.err.write(f"[{done}/{total}] {message}\n")

    try:
        outcome = sync.sync(password, progress, full=args.full)
    except SyncError as error:
        raise ValidationError("caldav", str(error)) from None
    ctx.out.write(outcome.summary() + "\n")
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export = commands.add_parser("export-ics", help=_("write your renewals as an iCalendar (.ics) file"))
    export.add_argument("--out", metavar="FILE", help=_("file to write, or - for standard output (the default)"))
    export.add_argument(
        "--active-only",
        action="store_true",
        help=_("leave out subscriptions with no charge ahead (a future cancellation or pause keeps it until then)"),
    )
    export.add_argument(
        "--ids", metavar="1,2", type=parse_ids, help=_("only these subscriptions (ids, comma-separated)")
    )
    export.add_argument("--no-amounts", action="store_true", help=_("leave amounts out, for privacy"))
    export.add_argument("--expanded", action="store_true", help=_("one event per charge for 24 months (for Outlook)"))
    export.add_argument("--name", metavar="NAME", default="Renewals", help=_("the calendar's name (default: Renewals)"))
    export.set_defaults(handler=cmd_export)

    imported = commands.add_parser("import-ics", help=_("import subscriptions from an .ics file (shows a preview)"))
    imported.add_argument("file", metavar="FILE", help=_("the .ics file to read"))
    imported.add_argument("--dry-run", action="store_true", help=_("show the preview only; change nothing"))
    imported.add_argument("--json", action="store_true", help=_("print the preview as JSON"))
    imported.add_argument("--skip-incomplete", action="store_true", help=_("skip events that lack an amount"))
    imported.set_defaults(handler=cmd_import)

    sync = commands.add_parser("caldav-sync", help=_("put your renewals on a CalDAV calendar (Nextcloud, Fastmail…)"))
    sync.add_argument("--url", metavar="URL", help=_("server or calendar address (remembered)"))
    sync.add_argument("--user", metavar="NAME", help=_("user name (remembered; the password goes to the keyring)"))
    sync.add_argument(
        "--calendar", metavar="NAME", help=_("calendar name (remembered; default: Renewals; created when missing)")
    )
    sync.add_argument(
        "--full", action="store_true", help=_("send every event again, even those the records say are on the server")
    )
    sync.add_argument("--verbose", action="store_true", help=_("show progress on standard error"))
    sync.set_defaults(handler=cmd_caldav_sync)
