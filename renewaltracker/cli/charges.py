"""Sub-commands for the history of charges actually made."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from renewaltracker.cli.output import charge_json, print_json, print_table
from renewaltracker.cli.parsing import parse_date, parse_id, parse_money

if TYPE_CHECKING:
    from renewaltracker.cli.context import Context


def cmd_charge_add(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.subscription import ChargeStatus

    amount = parse_money(args.amount, "amount", ctx.err)[0] if args.amount is not None else None
    status = ChargeStatus.NOT_CHARGED if args.not_charged else ChargeStatus.CHARGED
    charge = ctx.service.record_charge(
        args.id,
        parse_date(args.date, "date"),
        amount,
        reference=args.reference or "",
        status=status,
        note=args.note or "",
    )
    print_json(charge_json(charge), ctx.out)
    return 0


def cmd_charge_list(args: argparse.Namespace, ctx: Context) -> int:
    charges = ctx.service.charges(args.id)
    if args.json:
        print_json([charge_json(c) for c in charges], ctx.out)
        return 0
    if not charges:
        ctx.out.write("No charges recorded.\n")
        return 0
    rows = [
        (c.id, c.date.isoformat(), f"{c.amount} {c.currency}", c.status.value.replace("_", " "), c.reference)
        for c in charges
    ]
    print_table(("ID", "Date", "Amount", "Status", "Reference"), rows, ctx.out, right=(0, 2))
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    charge = commands.add_parser("charge", help="record and list charges actually made")
    actions = charge.add_subparsers(dest="charge_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="record a charge (amount defaults to the current price)")
    add.add_argument("id", type=parse_id, metavar="ID", help="the subscription's id (see 'list')")
    add.add_argument("--date", required=True, metavar="DATE", help="the day of the charge (required)")
    add.add_argument("--amount", metavar="AMOUNT", help="what was charged, if it differs from the price")
    add.add_argument("--reference", metavar="TEXT", help="order or invoice number of this charge")
    add.add_argument("--not-charged", action="store_true", help="the scheduled charge did not happen")
    add.add_argument("--note", metavar="TEXT", help="free text about this charge")
    add.set_defaults(handler=cmd_charge_add)
    list_ = actions.add_parser("list", help="the charges recorded for a subscription")
    list_.add_argument("id", type=parse_id, metavar="ID", help="the subscription's id (see 'list')")
    list_.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    list_.set_defaults(handler=cmd_charge_list)
