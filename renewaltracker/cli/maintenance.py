"""Sub-commands for the database and settings: backup, config."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from renewaltracker.cli.output import print_json
from renewaltracker.domain.errors import ValidationError
from renewaltracker.i18n import _

if TYPE_CHECKING:
    from renewaltracker.cli.context import Context


def cmd_backup(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.attachments import copy_attachments
    from renewaltracker.storage.backup import backup_database

    source = ctx.database.path
    assert source is not None
    written = backup_database(source, Path(args.path))
    ctx.out.write(_("Backed up {source} to {written}").format(source=source, written=written) + "\n")
    files = copy_attachments(source, written)
    if files is not None:
        ctx.out.write(_("Copied the attached files to {files}").format(files=files) + "\n")
    return 0


def cmd_config(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.settings import SETTINGS
    from renewaltracker.services.settings import save_settings

    if args.key is None:
        values = ctx.service.settings()
        if args.json:
            print_json(values, ctx.out)
        else:
            for key, value in values.items():
                ctx.out.write(f"{key} = {value}    # {_(SETTINGS[key].description)}\n")
        return 0
    if args.value is None:
        ctx.service.setting(args.key)  # validates the key
        ctx.out.write(ctx.service.settings()[args.key] + "\n")
        return 0
    # Given on the command line, the login entry is rewritten even when the setting already says so.
    stored = save_settings(ctx.service, {args.key: args.value}, force_login_entry=True)
    ctx.out.write(f"{args.key} = {stored[args.key]}\n")
    return 0


def cmd_install_desktop(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.desktop_entry import data_home, install_desktop_files

    try:
        written = install_desktop_files(Path(args.data_home).expanduser() if args.data_home else data_home())
    except OSError as error:
        raise ValidationError(
            "--data-home", _("cannot write {out}: {strerror}").format(out=error.filename, strerror=error.strerror)
        ) from None
    for path in written:
        ctx.out.write(_("Wrote {path}").format(path=path) + "\n")
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = commands.add_parser(
        "backup",
        help=_("write a consistent copy of the database, even while the app runs"),
        description=_("Attached files are copied too, into the folder NAME-attachments beside the copy."),
    )
    backup.add_argument("path", metavar="PATH", help=_("file (or folder) to write the copy to"))
    backup.set_defaults(handler=cmd_backup)
    config = commands.add_parser(
        "config", help=_("show or change settings"), epilog=_("The settings are listed in docs/settings.md.")
    )
    config.add_argument(
        "key", nargs="?", metavar="KEY", help=_("the setting to show or change (default: list them all)")
    )
    config.add_argument("value", nargs="?", metavar="VALUE", help=_("its new value (default: show the current one)"))
    config.add_argument("--json", action="store_true", help=_("with no KEY: print all settings as a JSON object"))
    config.set_defaults(handler=cmd_config)
    desktop = commands.add_parser(
        "install-desktop",
        help=_("add the app to the desktop's application menu (launcher, icon and AppStream metainfo)"),
        description=_("Writes the launcher, the icon and the metainfo below $XDG_DATA_HOME (default ~/.local/share)."),
    )
    desktop.add_argument("--data-home", metavar="DIR", help=_("write below DIR instead of $XDG_DATA_HOME"))
    desktop.set_defaults(handler=cmd_install_desktop)
