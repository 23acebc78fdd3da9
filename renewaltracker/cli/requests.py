"""Sub-commands for requests to vendors and the savings ledger."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from renewaltracker.cli.output import print_json, print_table
from renewaltracker.cli.parsing import parse_id, parse_money
from renewaltracker.i18n import _

if TYPE_CHECKING:
    from renewaltracker.cli.context import Context
    from renewaltracker.domain.requests import Request
    from renewaltracker.domain.savings import Ledger
    from renewaltracker.services.requests import RequestService


# Spelled out so that building the parser (--help) loads no domain module; a test keeps them in step.
REQUEST_KINDS = ("cancel", "refund", "stop-payment", "dispute", "price")
OUTCOMES = ("won", "partly", "lost", "dropped")


def request_json(request: Request) -> dict[str, Any]:
    return {
        "id": request.id,
        "subscription_id": request.subscription_id,
        "kind": request.kind.value,
        "opened_on": request.opened_on.isoformat(),
        "charge_id": request.charge_id,
        "amount": str(request.amount) if request.amount is not None else None,
        "currency": request.currency,
        "state": request.state.value,
        "outcome": request.outcome.value if request.outcome else None,
        "recovered": str(request.recovered) if request.recovered is not None else None,
        "resolved_on": request.resolved_on.isoformat() if request.resolved_on else None,
    }


def _service(ctx: Context) -> RequestService:
    from renewaltracker.services.requests import RequestService

    return RequestService(ctx.database, ctx.clock)


def cmd_request_open(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.requests import RequestKind, parse_choice

    kind = parse_choice(RequestKind, args.kind, "kind")
    amount = parse_money(args.amount, "amount", ctx.err)[0] if args.amount is not None else None
    print_json(request_json(_service(ctx).open(args.id, kind, args.charge, amount)), ctx.out)
    return 0


def cmd_request_list(args: argparse.Namespace, ctx: Context) -> int:
    requests = _service(ctx).all(args.id)
    if args.json:
        print_json([request_json(r) for r in requests], ctx.out)
        return 0
    if not requests:
        ctx.out.write(_("No requests.") + "\n")
        return 0
    rows = [
        (
            r.id,
            r.subscription_id,
            r.opened_on.isoformat(),
            r.kind.value,
            r.charge_id or "",
            f"{r.amount} {r.currency}" if r.amount is not None else "",
            r.state.label + (f" ({r.outcome.label})" if r.outcome else ""),
            f"{r.recovered} {r.currency}" if r.recovered is not None else "",
        )
        for r in requests
    ]
    print_table(
        (_("ID"), _("Sub"), _("Opened"), _("Kind"), _("Charge"), _("Asked"), _("State"), _("Recovered")),
        rows,
        ctx.out,
        right=(0, 1),
    )
    return 0


def cmd_request_resolve(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.requests import Outcome, parse_choice

    outcome = parse_choice(Outcome, args.outcome, "outcome")
    amount = parse_money(args.amount, "amount", ctx.err)[0] if args.amount is not None else None
    print_json(request_json(_service(ctx).resolve(args.request, outcome, amount)), ctx.out)
    return 0


def savings_json(ledger: Ledger) -> dict[str, Any]:
    from renewaltracker.domain.savings import SavingKind

    return {
        "recovered": {code: str(value) for code, value in ledger.totals(SavingKind.RECOVERED).items()},
        "avoided": {code: str(value) for code, value in ledger.totals(SavingKind.AVOIDED).items()},
        "items": [
            {
                "kind": item.kind.value,
                "subscription_id": item.subscription_id,
                "name": item.name,
                "date": item.day.isoformat(),
                "amount": str(item.amount),
                "currency": item.currency,
                "what": item.what,
            }
            for item in ledger.items
        ],
    }


def cmd_savings(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.savings import SavingKind

    ledger = _service(ctx).savings()
    if args.json:
        print_json(savings_json(ledger), ctx.out)
        return 0
    for kind, title in (
        (SavingKind.RECOVERED, _("Money recovered (your share): {totals}")),
        (SavingKind.AVOIDED, _("Renewals avoided (your share): {totals}")),
    ):
        totals = ledger.totals(kind)
        text = ", ".join(f"{value} {code}" for code, value in totals.items()) or _("nothing yet")
        ctx.out.write(title.format(totals=text) + "\n")
    if ledger.items:
        rows = [(i.day.isoformat(), i.kind.value, i.name, f"{i.amount} {i.currency}", i.what) for i in ledger.items]
        ctx.out.write("\n")
        print_table((_("Date"), _("Kind"), _("Subscription"), _("Amount"), _("What")), rows, ctx.out, right=(3,))
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    request = commands.add_parser("request", help=_("requests to vendors: refunds, cancellations, disputes"))
    actions = request.add_subparsers(dest="request_command", metavar="ACTION", required=True)
    open_ = actions.add_parser("open", help=_("open a request by hand (drafts sent, saved or logged open one too)"))
    open_.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    open_.add_argument(
        "--kind",
        required=True,
        metavar="KIND",
        help=_("one of: {choices} (required)").format(choices=", ".join(REQUEST_KINDS)),
    )
    open_.add_argument(
        "--charge", type=parse_id, metavar="CHARGE", help=_("the charge in question (see 'charge list')")
    )
    open_.add_argument("--amount", metavar="AMOUNT", help=_("the amount asked (default: the whole charge)"))
    open_.set_defaults(handler=cmd_request_open)
    list_ = actions.add_parser("list", help=_("every request, or one subscription's"))
    list_.add_argument("id", nargs="?", type=parse_id, metavar="ID", help=_("only this subscription's requests"))
    list_.add_argument("--json", action="store_true", help=_("print a JSON list instead of a table"))
    list_.set_defaults(handler=cmd_request_list)
    resolve = actions.add_parser("resolve", help=_("close a request with its outcome"))
    resolve.add_argument("request", type=parse_id, metavar="REQ", help=_("the request's id (see 'request list')"))
    resolve.add_argument(
        "--outcome", required=True, metavar="OUTCOME", help=_("one of: {choices}").format(choices=", ".join(OUTCOMES))
    )
    resolve.add_argument("--amount", metavar="AMOUNT", help=_("how much came back (default for won: the amount asked)"))
    resolve.set_defaults(handler=cmd_request_resolve)
    savings = commands.add_parser("savings", help=_("money recovered and renewals avoided, per currency"))
    savings.add_argument("--json", action="store_true", help=_("print JSON: recovered, avoided and the items"))
    savings.set_defaults(handler=cmd_savings)
