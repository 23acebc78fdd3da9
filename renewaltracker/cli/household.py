"""Sub-commands of the review, the household, exchange rates and attachments."""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from renewaltracker.cli.errors import UsageError
from renewaltracker.cli.output import print_json, print_table
from renewaltracker.cli.parsing import parse_date, parse_id
from renewaltracker.i18n import _, clauses, ngettext

if TYPE_CHECKING:
    from renewaltracker.cli.context import Context
    from renewaltracker.domain.exchange import Converted


def _money(amounts: dict[str, Decimal]) -> str:
    return ", ".join(f"{amount} {currency}" for currency, amount in amounts.items()) or "—"


def _converted_json(converted: Converted | None) -> dict[str, Any] | None:
    if converted is None:
        return None
    day = converted.rate_day.isoformat() if converted.rate_day else None
    return {"amount": str(converted.amount), "currency": converted.currency, "rate_date": day}


def _converted_text(converted: Converted | None) -> str:
    if converted is None:
        return ""
    rate = " " + _("(rate of {day})").format(day=converted.rate_day.isoformat()) if converted.rate_day else ""
    return f"{converted.amount} {converted.currency}{rate}"


# -- the review ------------------------------------------------------------------------------------------------
def cmd_review(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.review import UNUSED_DAYS
    from renewaltracker.services.rates import RateService
    from renewaltracker.services.review import ReviewService

    review = ReviewService(ctx.service)
    rates = RateService(ctx.service)
    if args.done:
        upcoming = review.finish()
        ctx.out.write(_("Review recorded.") + " " + _next_review_text(upcoming, ctx) + "\n")
        return 0
    items = review.items()
    if not items and not args.json:
        ctx.out.write(_("Nothing to review: no subscription is running.") + "\n")
        ctx.out.write(_next_review_text(review.next_review(), ctx) + "\n")
        return 0
    home, table, today = rates.home_currency(), rates.table(), ctx.clock.today()
    converted = [table.convert(i.yearly, i.subscription.currency, home, today) if home else None for i in items]
    if args.json:
        data = [
            {
                "id": i.subscription.id,
                "name": i.subscription.name,
                "yearly_cost": str(i.yearly),
                "currency": i.subscription.currency,
                "yearly_cost_home": _converted_json(c),
                "last_used": i.subscription.last_used.isoformat() if i.subscription.last_used else None,
                "days_unused": i.days_unused,
                "unused": i.unused,
            }
            for i, c in zip(items, converted, strict=True)
        ]
        print_json(data, ctx.out)
        return 0
    rows = [
        (
            i.subscription.id,
            ("! " if i.unused else "") + i.subscription.name,
            f"{i.yearly} {i.subscription.currency}",
            _converted_text(c),
            i.subscription.last_used.isoformat() if i.subscription.last_used else _("never recorded"),
        )
        for i, c in zip(items, converted, strict=True)
    ]
    print_table(
        (_("ID"), _("Name"), _("Per year"), _("In {home}").format(home=home) if home else "", _("Last used")),
        rows,
        ctx.out,
        right=(0, 2),
    )
    ctx.out.write(
        "\n"
        + _(
            "! = not used for {UNUSED_DAYS} days or more. Decide for each: keep it, cancel it ('draft cancel ID', "
            "then 'cancel ID'), or downgrade it ('edit ID --amount …').\nRecord a use with 'used ID'; "
            "finish with 'review --done'."
        ).format(UNUSED_DAYS=UNUSED_DAYS)
        + " "
        + _next_review_text(review.next_review(), ctx)
        + "\n"
    )
    return 0


def _next_review_text(upcoming: date | None, ctx: Context) -> str:
    """When the next review falls due, or why there is no date: reviews off, or nothing added yet to count from."""
    if upcoming is not None:
        return _("Next review: {next_review}").format(next_review=upcoming)
    months: int = ctx.service.setting("review_months")
    if months <= 0:
        return _("Next review: off (review_months is 0).")
    # On by the setting, but the first review counts from the first subscription added, and there is none.
    return ngettext(
        "The first review falls due {months} month after you add your first subscription.",
        "The first review falls due {months} months after you add your first subscription.",
        months,
    ).format(months=months)


def cmd_used(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.review import ReviewService

    day = parse_date(args.on, "on") if args.on else None
    saved = ReviewService(ctx.service).mark_used(args.id, day)
    ctx.out.write(_("{name}: last used {last_used}").format(name=saved.name, last_used=saved.last_used) + "\n")
    return 0


# -- the household ---------------------------------------------------------------------------------------------
def _no_members() -> str:
    return _(
        "No household members yet: add one with 'member add NAME', then say who pays and who uses each "
        "subscription with 'edit ID --payer NAME --users NAME,…'."
    )


def cmd_member(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.household import HouseholdService

    household = HouseholdService(ctx.service)
    if args.action == "add":
        member = household.add_member(" ".join(args.name))
        ctx.out.write(_("Added {name}").format(name=member.name) + "\n")
    elif args.action == "rm":
        member = household.remove_member(" ".join(args.name))
        ctx.out.write(_("Removed {name}").format(name=member.name) + "\n")
    else:
        members = household.members()
        if args.json:
            print_json([{"id": m.id, "name": m.name} for m in members], ctx.out)
        elif not members:
            ctx.out.write(_no_members() + "\n")
        else:
            for m in members:
                ctx.out.write(f"{m.name}\n")
    return 0


def cmd_household(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.exchange import nothing_converted
    from renewaltracker.services.household import HouseholdService
    from renewaltracker.services.rates import RateService

    costs = HouseholdService(ctx.service).costs()
    rates = RateService(ctx.service)
    home, today = rates.home_currency(), ctx.clock.today()
    total_home = rates.table().total(costs.total, home, today) if home else None
    if args.json:
        data = {
            "members": [
                {
                    "name": c.member.name,
                    "pays": {k: str(v) for k, v in c.pays.items()},
                    "uses": {k: str(v) for k, v in c.uses.items()},
                }
                for c in costs.members
            ],
            "total": {k: str(v) for k, v in costs.total.items()},
            "unassigned": {k: str(v) for k, v in costs.unassigned.items()},
            "total_home": _converted_json(total_home[0]) if total_home else None,
            "missing_rates": total_home[1] if total_home else [],
        }
        print_json(data, ctx.out)
        return 0
    rows = [(c.member.name, _money(c.pays), _money(c.uses)) for c in costs.members]
    if costs.unassigned:  # an empty row of it read "(nobody in particular)  —" on a household with nothing to pay
        rows.append((f"({_('nobody in particular')})", _money(costs.unassigned), ""))
    if rows:
        print_table((_("Member"), _("Pays per year"), _("Uses per year (share)")), rows, ctx.out)
        ctx.out.write("\n")
    if not costs.members:
        ctx.out.write(_no_members() + "\n")
    ctx.out.write(
        _("Household total per year (a shared plan counts once): {_money}").format(_money=_money(costs.total)) + "\n"
    )
    if total_home:
        lacking = _("no rate for {currencies}").format(currencies=", ".join(total_home[1])) if total_home[1] else ""
        if nothing_converted(costs.total, total_home[1]):
            shown = lacking
        else:
            shown = clauses([part for part in (_converted_text(total_home[0]), lacking) if part])
        ctx.out.write(_("In {home}: {converted}").format(home=home, converted=shown) + "\n")
    return 0


def cmd_duplicates(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.household import HouseholdService

    groups = HouseholdService(ctx.service).duplicates()
    if args.json:
        print_json([[{"id": s.id, "name": s.name, "vendor": s.vendor} for s in group] for group in groups], ctx.out)
        return 0
    if not groups:
        ctx.out.write(_("No duplicates.") + "\n")
    for group in groups:
        ctx.out.write(_("Possible duplicates:") + " " + clauses([f"{s.id} {s.name}" for s in group]) + "\n")
    return 0


# -- exchange rates ----------------------------------------------------------------------------------------------
def cmd_rate(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.exchange import ECB_DAILY_URL
    from renewaltracker.services.rates import RateService

    rates = RateService(ctx.service)
    if args.action == "set":
        if len(args.values) != 3:
            raise UsageError(_("rate set FROM TO RATE, e.g. rate set EUR USD 1.08"))
        day = parse_date(args.date, "date") if args.date else None
        stored = rates.set_rate(args.values[0], args.values[1], args.values[2], day)
        ctx.out.write(
            _("1 {base} = {rate} {quote} on {day}").format(
                base=stored.base, rate=stored.rate, quote=stored.quote, day=stored.day
            )
            + "\n"
        )
        return 0
    if args.action == "import":
        if len(args.values) != 1:
            raise UsageError(_("rate import FILE (eurofxref-daily.xml or eurofxref.zip)"))
        found = rates.import_file(Path(args.values[0]))
        ctx.out.write(
            _("Imported {count} rates of {max}").format(count=len(found), max=max(r.day for r in found)) + "\n"
        )
        return 0
    if args.action == "fetch":
        found = rates.fetch(args.values[0] if args.values else ECB_DAILY_URL)
        ctx.out.write(
            _("Fetched {count} rates of {max}").format(count=len(found), max=max(r.day for r in found)) + "\n"
        )
        return 0
    listed = rates.rates()
    if args.json:
        data = [
            {"from": r.base, "to": r.quote, "rate": str(r.rate), "date": r.day.isoformat(), "source": r.source}
            for r in listed
        ]
        print_json(data, ctx.out)
        return 0
    print_table(
        (_("From"), _("To"), _("Rate"), _("Date"), _("Source")),
        [(r.base, r.quote, r.rate, r.day, r.source) for r in listed],
        ctx.out,
        right=(2,),
    )
    return 0


# -- attachments -------------------------------------------------------------------------------------------------
def cmd_attach(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.attachments import AttachmentService

    attached = AttachmentService(ctx.service).attach(args.id, Path(args.file), args.charge)
    ctx.out.write(
        _("Attached {original_name} as {id} ({size} bytes)").format(
            original_name=attached.original_name, id=attached.id, size=attached.size
        )
        + "\n"
    )
    return 0


def cmd_attachments(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.attachments import AttachmentService

    ctx.service.get(args.id)  # an unknown id is named, not shown as a subscription with nothing attached
    files = AttachmentService(ctx.service).list_for(args.id)
    if args.json:
        data = [
            {
                "id": a.id,
                "name": a.original_name,
                "charge_id": a.charge_id,
                "size": a.size,
                "added_at": a.added_at.isoformat(),
                "path": str(a.path),
            }
            for a in files
        ]
        print_json(data, ctx.out)
        return 0
    rows = [(a.id, a.original_name, a.charge_id or "", a.size, a.added_at.date()) for a in files]
    print_table((_("ID"), _("File"), _("Charge"), _("Bytes"), _("Added")), rows, ctx.out, right=(0, 3))
    return 0


def cmd_detach(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.attachments import AttachmentService

    removed = AttachmentService(ctx.service).remove(args.attachment)
    ctx.out.write(_("Removed {original_name} and its copy").format(original_name=removed.original_name) + "\n")
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    review = commands.add_parser("review", help=_("the periodic review: yearly cost and last use of each subscription"))
    review.add_argument("--json", action="store_true", help=_("print a JSON list instead of a table"))
    review.add_argument("--done", action="store_true", help=_("record the review as finished today"))
    review.set_defaults(handler=cmd_review)

    used = commands.add_parser("used", help=_("record that you used a subscription (today unless --on)"))
    used.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    used.add_argument("--on", metavar="DATE", help=_("the day you used it (default today)"))
    used.set_defaults(handler=cmd_used)

    member = commands.add_parser("member", help=_("household members: add, list or rm"))
    member.add_argument("action", choices=("add", "list", "rm"), help=_("what to do"))
    member.add_argument("name", nargs="*", metavar="NAME", help=_("the member's name (add, rm)"))
    member.add_argument("--json", action="store_true", help=_("list: print JSON"))
    member.set_defaults(handler=cmd_member)

    household = commands.add_parser("household", help=_("yearly costs per member; a shared plan counts once"))
    household.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    household.set_defaults(handler=cmd_household)

    dupes = commands.add_parser(
        "duplicates", help=_("running subscriptions to the same service (two Netflix accounts)")
    )
    dupes.add_argument("--json", action="store_true", help=_("print a JSON list of groups"))
    dupes.set_defaults(handler=cmd_duplicates)

    rate = commands.add_parser(
        "rate",
        help=_("exchange rates for the home currency: set, list, import or fetch"),
        description=_(
            "'rate set EUR USD 1.08 --date D' enters a rate; 'rate import FILE' reads the ECB's "
            "eurofxref-daily.xml or eurofxref.zip; 'rate fetch' downloads the daily file from the ECB (the only "
            "network access, and only when you run it)."
        ),
    )
    rate.add_argument("action", choices=("set", "list", "import", "fetch"), help=_("what to do"))
    rate.add_argument("values", nargs="*", metavar="ARG", help=_("set: FROM TO RATE; import: FILE; fetch: [URL]"))
    rate.add_argument("--date", metavar="DATE", help=_("set: the day the rate is for (default today)"))
    rate.add_argument("--json", action="store_true", help=_("list: print JSON"))
    rate.set_defaults(handler=cmd_rate)

    attach = commands.add_parser("attach", help=_("copy a receipt, invoice or contract into the data folder"))
    attach.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    attach.add_argument("file", metavar="FILE", help=_("the file to attach (copied, readable by you alone)"))
    attach.add_argument("--charge", type=parse_id, metavar="CHARGE_ID", help=_("attach it to this charge"))
    attach.set_defaults(handler=cmd_attach)

    attachments = commands.add_parser("attachments", help=_("the files attached to a subscription"))
    attachments.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    attachments.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    attachments.set_defaults(handler=cmd_attachments)

    detach = commands.add_parser("detach", help=_("remove an attached file (its copy in the data folder is deleted)"))
    detach.add_argument("attachment", type=parse_id, metavar="ATTACHMENT_ID", help=_("see 'attachments ID'"))
    detach.set_defaults(handler=cmd_detach)
