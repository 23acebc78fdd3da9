"""Sub-commands for the history of charges actually made: record, correct, refund, dispute, delete."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from renewaltracker.cli.output import charge_json, print_json, print_table
from renewaltracker.cli.parsing import parse_date, parse_id, parse_money
from renewaltracker.domain.errors import DuplicateChargeError, ValidationError
from renewaltracker.i18n import _

if TYPE_CHECKING:
    from datetime import date

    from renewaltracker.cli.context import Context


def _amount(text: str | None, ctx: Context) -> Decimal | None:
    return parse_money(text, "amount", ctx.err)[0] if text is not None else None


def cmd_charge_add(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.subscription import ChargeStatus

    amount = _amount(args.amount, ctx)
    day = parse_date(args.date, "date")
    status = ChargeStatus.NOT_CHARGED if args.not_charged else ChargeStatus.CHARGED
    try:
        charge = ctx.service.record_charge(
            args.id, day, amount, reference=args.reference or "", status=status, note=args.note or "", force=args.force
        )
    except DuplicateChargeError as error:
        raise ValidationError(
            "charge", _("{problem}; add --force to record it again").format(problem=error.problem)
        ) from None
    price = ctx.service.prices(args.id).price_on(day)
    if status is ChargeStatus.CHARGED and charge.amount != price:
        if args.set_price:
            ctx.service.change_price(args.id, charge.amount, day)
            ctx.err.write(
                _("The plan's price is {amount} {currency} from {day} on.").format(
                    amount=charge.amount, currency=charge.currency, day=day
                )
                + "\n"
            )
        else:
            ctx.err.write(
                _(
                    "renewaltracker: note: the plan's price on {day} is {price} {currency}; 'charge add … "
                    "--set-price' (or 'edit ID --amount') makes {amount} the price from then on"
                ).format(day=day, price=price, currency=charge.currency, amount=charge.amount)
                + "\n"
            )
    print_json(charge_json(charge), ctx.out)
    return 0


def cmd_charge_list(args: argparse.Namespace, ctx: Context) -> int:
    charges = ctx.service.charges(args.id)
    if args.json:
        print_json([charge_json(c) for c in charges], ctx.out)
        return 0
    if not charges:
        ctx.out.write(_("No charges recorded.") + "\n")
        return 0
    rows = [
        (
            c.id,
            c.date.isoformat(),
            f"{c.amount} {c.currency}",
            c.status.value.replace("_", " "),
            f"{c.refunded_amount} on {c.refunded_on}" if c.refunded_amount is not None else "",
            c.reference,
        )
        for c in charges
    ]
    print_table(
        (_("ID"), _("Date"), _("Amount"), _("State"), _("Refunded"), _("Reference")), rows, ctx.out, right=(0, 2)
    )
    return 0


def cmd_charge_edit(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.subscription import ChargeStatus

    changes: dict[str, Any] = {}
    if args.amount is not None:
        changes["amount"] = _amount(args.amount, ctx)
    if args.date is not None:
        changes["date"] = parse_date(args.date, "date")
    if args.reference is not None:
        changes["reference"] = args.reference
    if args.note is not None:
        changes["note"] = args.note
    if args.state is not None:
        choices = {status.value.replace("_", "-"): status for status in ChargeStatus}
        state = choices.get(args.state.strip().lower().replace("_", "-").replace(" ", "-"))
        if state is None or state is ChargeStatus.REFUNDED:
            raise ValidationError(
                "state", _("one of: charged, not-charged, disputed (use 'charge refund' for refunds)")
            )
        changes["status"] = state
    if not changes:
        raise ValidationError("edit", _("give at least one option to change (see 'renewaltracker charge edit --help')"))
    print_json(charge_json(ctx.service.edit_charge(args.id, args.charge, **changes)), ctx.out)
    return 0


def cmd_charge_refund(args: argparse.Namespace, ctx: Context) -> int:
    on = parse_date(args.date, "date") if args.date else None
    charge = ctx.service.refund_charge(args.id, args.charge, _amount(args.amount, ctx), on)
    print_json(charge_json(charge), ctx.out)
    return 0


def cmd_charge_dispute(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.subscription import ChargeStatus

    charge = ctx.service.edit_charge(args.id, args.charge, status=ChargeStatus.DISPUTED)
    print_json(charge_json(charge), ctx.out)
    return 0


def cmd_charge_rm(args: argparse.Namespace, ctx: Context) -> int:
    removed = ctx.service.delete_charge(args.id, args.charge)
    ctx.out.write(
        _("Deleted charge {id} of {isoformat} ({amount} {currency})").format(
            id=removed.id, isoformat=removed.date.isoformat(), amount=removed.amount, currency=removed.currency
        )
        + "\n"
    )
    return 0


def _target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    parser.add_argument("charge", type=parse_id, metavar="CHARGE", help=_("the charge's id (see 'charge list')"))


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    charge = commands.add_parser("charge", help=_("record, correct and list charges actually made"))
    actions = charge.add_subparsers(dest="charge_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help=_("record a charge (amount defaults to the price on that day)"))
    add.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    add.add_argument("--date", required=True, metavar="DATE", help=_("the day of the charge (required)"))
    add.add_argument("--amount", metavar="AMOUNT", help=_("what was charged, if it differs from the price"))
    add.add_argument("--reference", metavar="TEXT", help=_("order or invoice number of this charge"))
    add.add_argument("--not-charged", action="store_true", help=_("the scheduled charge did not happen"))
    add.add_argument("--note", metavar="TEXT", help=_("free text about this charge"))
    add.add_argument("--force", action="store_true", help=_("record it even if the same date and amount is recorded"))
    add.add_argument("--set-price", action="store_true", help=_("a new amount becomes the plan's price from that date"))
    add.set_defaults(handler=cmd_charge_add)
    list_ = actions.add_parser("list", help=_("the charges recorded for a subscription"))
    list_.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    list_.add_argument("--json", action="store_true", help=_("print a JSON list instead of a table"))
    list_.set_defaults(handler=cmd_charge_list)
    edit = actions.add_parser("edit", help=_("correct a recorded charge"))
    _target(edit)
    edit.add_argument("--amount", metavar="AMOUNT", help=_("the amount actually charged"))
    edit.add_argument("--date", metavar="DATE", help=_("the day of the charge"))
    edit.add_argument("--reference", metavar="TEXT", help=_("order or invoice number ('' clears it)"))
    edit.add_argument("--note", metavar="TEXT", help=_("free text about this charge"))
    edit.add_argument("--state", metavar="STATE", help=_("charged, not-charged or disputed"))
    edit.set_defaults(handler=cmd_charge_edit)
    refund = actions.add_parser("refund", help=_("mark a charge refunded, wholly or partly"))
    _target(refund)
    refund.add_argument("--amount", metavar="AMOUNT", help=_("how much came back (default: all of it)"))
    refund.add_argument("--date", metavar="DATE", help=_("when it came back (default: today)"))
    refund.set_defaults(handler=cmd_charge_refund)
    dispute = actions.add_parser("dispute", help=_("mark a charge disputed with your bank"))
    _target(dispute)
    dispute.set_defaults(handler=cmd_charge_dispute)
    rm = actions.add_parser("rm", help=_("delete a recorded charge"))
    _target(rm)
    rm.set_defaults(handler=cmd_charge_rm)
    register_price(commands)


def _step_json(effective: date, amount: Decimal, currency: str, today: date) -> dict[str, str | bool]:
    return {"from": effective.isoformat(), "amount": str(amount), "currency": currency, "planned": effective > today}


def cmd_price_step(args: argparse.Namespace, ctx: Context) -> int:
    effective = parse_date(args.start, "from")
    saved = ctx.service.change_price(args.id, args.amount, effective)
    price = ctx.service.prices(args.id).price_on(effective)
    print_json(_step_json(effective, price, saved.currency, ctx.clock.today()), ctx.out)
    return 0


def cmd_price_list(args: argparse.Namespace, ctx: Context) -> int:
    subscription = ctx.service.get(args.id)
    history = ctx.service.prices(args.id)
    today = ctx.clock.today()
    steps = [_step_json(s.effective, s.amount, subscription.currency, today) for s in history.steps]
    if args.json:
        print_json(steps, ctx.out)
        return 0
    if not steps:
        ctx.out.write(
            _("No price changes: {amount} {currency} on every date.").format(
                amount=subscription.amount, currency=subscription.currency
            )
            + "\n"
        )
        return 0
    rows = [(s["from"], f"{s['amount']} {s['currency']}", "planned" if s["planned"] else "") for s in steps]
    print_table((_("From"), _("Price"), ""), rows, ctx.out, right=(1,))
    return 0


def cmd_price_rm(args: argparse.Namespace, ctx: Context) -> int:
    removed = ctx.service.remove_price_step(args.id, parse_date(args.step, "step"))
    ctx.out.write(
        _("Removed the price step of {isoformat} ({amount})").format(
            isoformat=removed.effective.isoformat(), amount=removed.amount
        )
        + "\n"
    )
    return 0


def register_price(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    price = commands.add_parser("price", help=_("a plan's price over time: recorded changes and planned steps"))
    actions = price.add_subparsers(dest="price_command", metavar="ACTION", required=True)
    step = actions.add_parser("step", help=_("the plan costs AMOUNT from DATE on (past or planned); prints it as JSON"))
    step.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    step.add_argument("--from", dest="start", required=True, metavar="DATE", help=_("the first day of the new price"))
    step.add_argument("--amount", required=True, metavar="AMOUNT", help=_("the price per charge from that day"))
    step.set_defaults(handler=cmd_price_step)
    list_ = actions.add_parser("list", help=_("the plan's price steps, past and planned"))
    list_.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    list_.add_argument("--json", action="store_true", help=_("print a JSON list instead of a table"))
    list_.set_defaults(handler=cmd_price_list)
    rm = actions.add_parser("rm", help=_("remove a price step"))
    rm.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    rm.add_argument("step", metavar="STEP", help=_("the date the step starts (see 'price list')"))
    rm.set_defaults(handler=cmd_price_rm)
