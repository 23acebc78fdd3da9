"""Sub-commands that add, change and list subscriptions, and list upcoming events."""

from __future__ import annotations

import argparse
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from renewaltracker.cli.output import event_json, print_json, print_table, subscription_json, terminal_safe
from renewaltracker.cli.parsing import parse_count, parse_date, parse_id, parse_money
from renewaltracker.domain.channels import CHANNEL_GUIDES, Channel, guess_channel, parse_channel
from renewaltracker.domain.errors import ValidationError, check_span
from renewaltracker.domain.languages import LETTER_LANGUAGES, parse_letter_language
from renewaltracker.i18n import N_, _

if TYPE_CHECKING:
    from datetime import date
    from decimal import Decimal

    from renewaltracker.cli.context import Context
    from renewaltracker.domain.prices import PriceHistories
    from renewaltracker.domain.subscription import Subscription

# Ten years of events is already more than anyone reads; the cap keeps the end date computable.
MAX_UPCOMING_DAYS = 3660

# option name → (Subscription field, parser of the option's text)
_TEXT_FIELDS = {
    "vendor": "vendor",
    "category": "category",
    "payment_method": "payment_method",
    "account": "account",
    "order_number": "order_number",
    "support_email": "support_email",
    "cancel_url": "cancel_url",
    "postal_address": "postal_address",
    "notes": "notes",
}


# option name → its help text (the field it fills is in _TEXT_FIELDS)
_TEXT_HELP = {
    "vendor": N_("who bills you, e.g. Acme Press"),
    "category": N_("a group for the spending overview, e.g. Streaming"),
    "payment_method": N_('e.g. "Visa ending 4242"; a full card number is cut to its last four digits'),
    "account": N_("your account name or email address at the vendor"),
    "order_number": N_("order, contract or customer number (drafted emails quote it)"),
    "support_email": N_("the vendor's support address (drafted emails go to it)"),
    "cancel_url": N_("the vendor's cancellation page"),
    "postal_address": N_('the vendor\'s postal address for letters; lines separated by ";" (or ",")'),
    "notes": N_("free text"),
}


def _add_field_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """The subscription's fields as options; `add` requires some, `edit` changes only those given."""
    # Each variant is a whole sentence for the translators: `add` says what it requires, `edit` does not.
    name_help = _("what renews, e.g. Netflix (required)") if required else _("what renews, e.g. Netflix")
    parser.add_argument("--name", required=required, help=name_help)
    amount_help = (
        _('price per charge, e.g. 39.99, "9,99", "1.299,00 €" (required)')
        if required
        else _('price per charge, e.g. 39.99, "9,99", "1.299,00 €"')
    )
    parser.add_argument("--amount", required=required, help=amount_help)
    currency_help = (
        _('ISO 4217 code, name or symbol, e.g. USD, "euro", "£" (default: the default_currency setting)')
        if required
        else _('ISO 4217 code, name or symbol, e.g. USD, "euro", "£"')
    )
    parser.add_argument("--currency", help=currency_help)
    cycles = '"1 month", "2 weeks", "1 year", "30 days", monthly, quarterly…'  # what parse_interval reads
    every_help = (
        _("billing cycle: {cycles} (required)").format(cycles=cycles)
        if required
        else _("billing cycle: {cycles}").format(cycles=cycles)
    )
    parser.add_argument("--every", required=required, metavar="CYCLE", help=every_help)
    start_help = (
        _("date of the first paid charge (the anchor) (required unless --trial-end is given)")
        if required
        else _("date of the first paid charge (the anchor)")
    )
    parser.add_argument("--start", metavar="DATE", help=start_help)
    parser.add_argument("--trial-end", metavar="DATE", help=_("end of a free trial; the first charge unless --start"))
    parser.add_argument("--end", metavar="DATE", help=_("no charges after this date"))
    parser.add_argument("--end-count", metavar="N", help=_("only the first N charges"))
    parser.add_argument(
        "--notice-days", metavar="N", help=_("cancellation notice period (cancel-by = charge − N days)")
    )
    parser.add_argument("--refund-days", metavar="N", help=_("refund window: N days after each charge"))
    lead_times = _('reminder lead times in days, e.g. "7,1"; 0 is the day itself ("" for the default)')
    parser.add_argument("--remind", metavar="DAYS", help=lead_times)
    parser.add_argument(
        "--purchase-date", metavar="DATE", help=_("when you bought it (for withdrawal rights in drafts)")
    )
    parser.add_argument("--split", metavar="N", help=_("cost shared between N people (you included)"))
    parser.add_argument("--share", metavar="AMOUNT", help=_("your fixed share of each charge"))
    parser.add_argument(
        "--keep-clipped-day",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=_("after a short month keep the clipped day (Google Play) instead of returning"),
    )
    for option in _TEXT_FIELDS:
        parser.add_argument("--" + option.replace("_", "-"), metavar="TEXT", help=_(_TEXT_HELP[option]))
    channels = ", ".join(c.value for c in Channel)
    channel_help = (
        _("who takes the money: {channels} (default: guessed from --payment-method)").format(channels=channels)
        if required
        else _("who takes the money: {channels}").format(channels=channels)
    )
    parser.add_argument("--channel", help=channel_help)
    parser.add_argument(
        "--letter-language",
        metavar="LANG",
        help=_('language of letters to this vendor: {languages} ("": the interface\'s)').format(
            languages=", ".join(LETTER_LANGUAGES)
        ),
    )
    parser.add_argument("--tags", metavar="A,B", help=_('free-text tags, comma separated ("" clears them)'))
    parser.add_argument("--used", metavar="DATE", help=_("when you last used it (see 'used' and 'review')"))
    parser.add_argument(
        "--payer", metavar="NAME", help=_("the household member who pays (\"\" for nobody; see 'member')")
    )
    parser.add_argument(
        "--users", metavar="A,B", help=_('the household members who use it, comma separated ("" for none)')
    )


def _optional_date(text: str | None, field: str) -> Any:
    return None if text is None or text == "" else parse_date(text, field)


def _field_changes(args: argparse.Namespace, err: TextIO) -> dict[str, Any]:
    """Turn the options the user gave into Subscription field values (absent options are left out)."""
    from renewaltracker.domain.amounts import read_currency
    from renewaltracker.domain.interval import parse_interval
    from renewaltracker.domain.subscription import parse_lead_days, parse_tags

    changes: dict[str, Any] = {}
    if args.name is not None:
        changes["name"] = args.name
    if args.currency is not None:
        changes["currency"] = read_currency(args.currency)
    if args.amount is not None:
        changes["amount"], stated = parse_money(args.amount, "amount", err, changes.get("currency"))
        if stated is not None and changes.setdefault("currency", stated) != stated:
            raise ValidationError(
                "amount",
                _("is in {stated} but --currency says {currency}").format(stated=stated, currency=changes["currency"]),
            )
    if args.every is not None:
        changes["interval"] = parse_interval(args.every)
    dates = {"start": "anchor", "trial_end": "trial_end", "end": "end_date", "purchase_date": "purchase_date"}
    for option, name in dates.items():
        value = getattr(args, option)
        if value is not None:
            changes[name] = _optional_date(value, option.replace("_", "-"))
    counts = {
        "end_count": ("end_count", 1),
        "notice_days": ("notice_days", 0),
        "refund_days": ("refund_days", 0),
        "split": ("split_between", 1),
    }
    for option, (name, minimum) in counts.items():
        value = getattr(args, option)
        if value is not None:
            changes[name] = None if value == "" else parse_count(value, option.replace("_", "-"), minimum)
    if args.remind is not None:
        changes["reminder_days"] = parse_lead_days(args.remind) if args.remind.strip() else None
    if args.share is not None:
        changes["fixed_share"] = parse_money(args.share, "share", err)[0] if args.share.strip() else None
    if args.keep_clipped_day is not None:
        changes["keep_clipped_day"] = args.keep_clipped_day
    for option, name in _TEXT_FIELDS.items():
        value = getattr(args, option)
        if value is not None:
            changes[name] = value
    if args.channel is not None:
        changes["channel"] = parse_channel(args.channel)
    if args.letter_language is not None:
        changes["letter_language"] = parse_letter_language(args.letter_language)
    if args.tags is not None:
        changes["tags"] = parse_tags(args.tags)
    if args.used is not None:
        changes["last_used"] = _optional_date(args.used, "used")
    return changes


def _check_use(changes: dict[str, Any], ctx: Context) -> None:
    """A last use on a day to come is refused here too: the plain-sqlite3 writers skip the service's check."""
    if changes.get("last_used") is not None:
        from renewaltracker.domain.unused import check_used_on

        check_used_on(changes["last_used"], ctx.clock.today())


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.subscription import Subscription, trial_status

    changes = _field_changes(args, ctx.err)
    _check_use(changes, ctx)
    changes.setdefault("currency", ctx.reader.setting("default_currency"))
    changes.setdefault("channel", guess_channel(changes.get("payment_method", "")))
    if changes.get("anchor") is None and changes.get("trial_end") is None:
        raise ValidationError("start", _("is required (the date of the first paid charge) unless --trial-end is given"))
    trial_end = changes.get("trial_end")
    status = trial_status(trial_end, ctx.clock.today())
    subscription = Subscription(status=status, **changes)
    household = _household_changes(args, ctx)
    intro = _intro(args, subscription)
    saved = _add_quickly(subscription, ctx) if intro is None and household is None else None
    if saved is None:
        saved = ctx.service.add(subscription)
    if intro is not None:
        assert saved.id is not None
        # The introductory price from the first charge, then the full price: two steps of one price history.
        ctx.service.change_price(saved.id, intro[0], saved.anchor_date)
        saved = ctx.service.change_price(saved.id, subscription.amount, intro[1])
    if household is not None:
        from renewaltracker.services.household import HouseholdService

        assert saved.id is not None
        HouseholdService(ctx.service).assign(saved.id, *household)
    print_json(_with_household(saved, ctx), ctx.out)
    return 0


def _add_quickly(subscription: Subscription, ctx: Context) -> Subscription | None:
    """The plain-sqlite3 path (no SQLAlchemy to import) when the database is current and nothing but the row is
    to be written; None, with nothing written, when the services must do it."""
    writer = ctx.quick_writer()
    if writer is None:
        return None
    from renewaltracker.services.quick_changes import add_subscription

    saved = add_subscription(writer, subscription, ctx.clock)
    if saved is not None:
        ctx.written()
    return saved


def _intro(args: argparse.Namespace, subscription: Subscription) -> tuple[Decimal, date] | None:
    """--intro-price and --intro-until, checked before anything is written."""
    from renewaltracker.domain.money import parse_amount

    if args.intro_price is None and args.intro_until is None:
        return None
    if args.intro_price is None or args.intro_until is None:
        raise ValidationError("intro-price", _("give both --intro-price and --intro-until"))
    until = parse_date(args.intro_until, "intro-until")
    if until <= subscription.anchor_date:
        raise ValidationError(
            "intro-until",
            _("must be after the first charge ({anchor_date})").format(anchor_date=subscription.anchor_date),
        )
    return parse_amount(args.intro_price, "intro-price"), until


def _household_changes(args: argparse.Namespace, ctx: Context) -> tuple[str | None, list[str] | None] | None:
    """--payer and --users, checked against the members before anything is written."""
    if args.payer is None and args.users is None:
        return None
    from renewaltracker.services.household import HouseholdService

    users = [name.strip() for name in args.users.split(",") if name.strip()] if args.users is not None else None
    known = {m.name.casefold() for m in HouseholdService(ctx.service).members()}
    for name in [args.payer or "", *(users or [])]:
        if name.strip() and name.strip().casefold() not in known:
            raise ValidationError(
                "payer" if name == args.payer else "users", _("no household member named {name!r}").format(name=name)
            )
    return args.payer, users


def _with_household(subscription: Subscription, ctx: Context) -> dict[str, Any]:
    """The subscription's JSON with who pays and who uses it."""
    from renewaltracker.domain.household import member_names

    assert subscription.id is not None
    reader = ctx.reader  # after a change: through the services, which made it
    prices = {subscription.id: reader.prices(subscription.id)}
    data = subscription_json(subscription, ctx.clock.today(), prices)
    payer, users = member_names(reader.assignment(subscription.id), reader.members())
    data.update(payer=payer or None, users=list(users))
    return data


def cmd_edit(args: argparse.Namespace, ctx: Context) -> int:
    from dataclasses import replace

    from renewaltracker.domain.subscription import Status, trial_status
    from renewaltracker.services.household import HouseholdService

    changes = _field_changes(args, ctx.err)
    _check_use(changes, ctx)
    household = _household_changes(args, ctx)
    if not changes and household is None:
        raise ValidationError("edit", _("give at least one option to change (see 'renewaltracker edit --help')"))
    today = ctx.clock.today()

    def apply(current: Subscription) -> Subscription:
        edited = replace(current, **changes)
        # A channel that was only a guess follows a changed payment method; one the user chose stays.
        guessed = current.channel is guess_channel(current.payment_method)
        if "payment_method" in changes and "channel" not in changes and guessed:
            edited = replace(edited, channel=guess_channel(changes["payment_method"]))
        if "trial_end" in changes and current.status in (Status.ACTIVE, Status.TRIAL):
            edited = replace(edited, status=trial_status(changes["trial_end"], today))
        return edited

    # Checked against the revision it read: a concurrent change is re-read and kept, never overwritten.
    saved = ctx.service.modify(args.id, apply) if changes else ctx.service.get(args.id)
    if household is not None:
        HouseholdService(ctx.service).assign(args.id, *household)
    print_json(_with_household(saved, ctx), ctx.out)
    return 0


def cmd_cancel(args: argparse.Namespace, ctx: Context) -> int:
    effective = _optional_date(args.effective, "effective")
    saved = ctx.service.cancel(args.id, effective)
    print_json(subscription_json(saved, ctx.clock.today()), ctx.out)
    return 0


def cmd_pause(args: argparse.Namespace, ctx: Context) -> int:
    saved = ctx.service.pause(args.id, _optional_date(args.start, "from"), _optional_date(args.until, "until"))
    print_json(subscription_json(saved, ctx.clock.today()), ctx.out)
    return 0


def cmd_resume(args: argparse.Namespace, ctx: Context) -> int:
    saved = ctx.service.resume(args.id, _optional_date(args.on, "on"))
    print_json(subscription_json(saved, ctx.clock.today()), ctx.out)
    return 0


def cmd_rm(args: argparse.Namespace, ctx: Context) -> int:
    removed = ctx.service.delete(args.id)
    ctx.out.write(
        _("Deleted {id}: {terminal_safe}").format(id=removed.id, terminal_safe=terminal_safe(removed.name)) + "\n"
    )
    return 0


LIST_SORTS = ("name", "next", "amount", "status")
# Spelled out so that building the parser loads no domain module; a test keeps it in step with Status.
STATUSES = ("active", "trial", "paused", "cancelled")


def _listed(
    subscriptions: list[Subscription], args: argparse.Namespace, today: date, prices: PriceHistories
) -> list[Subscription]:
    """The subscriptions `list` shows: filtered by status, category and search words, in the chosen order."""
    words = (args.search or "").casefold().split()
    chosen = []
    for s in subscriptions:
        text = " ".join((s.name, s.vendor, s.category, s.notes, s.order_number, s.account, s.payment_method))
        if args.status and s.status_on(today).value != args.status:
            continue
        if args.category and s.category.casefold() != args.category.casefold():
            continue
        if all(word in text.casefold() for word in words):
            chosen.append(s)
    by_name = sorted(chosen, key=lambda s: (s.name.casefold(), s.id or 0))  # ties keep the name order
    if args.sort == "next":
        return sorted(by_name, key=lambda s: (s.next_charge(today) is None, s.next_charge(today) or today))
    if args.sort == "amount":
        from renewaltracker.domain.prices import amount_on

        # By the amount shown: the price in force today (the stored one lags a planned step whose date has passed).
        return sorted(by_name, key=lambda s: (s.currency, -amount_on(s, today, prices)))
    if args.sort == "status":
        return sorted(by_name, key=lambda s: s.status_on(today).value)
    return by_name


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.prices import amount_on

    today = ctx.clock.today()
    everything = ctx.reader.all()
    prices = ctx.reader.price_histories()  # read once with the list: each row shows the price in force today
    subscriptions = _listed(everything, args, today, prices)
    if args.tag:
        wanted = args.tag.strip().casefold()
        subscriptions = [s for s in subscriptions if any(tag.casefold() == wanted for tag in s.tags)]
    if everything and not subscriptions and not args.json:
        ctx.out.write(_("No subscription matches.") + "\n")
        return 0
    if args.json:
        print_json([subscription_json(s, today, prices) for s in subscriptions], ctx.out)
        return 0
    if not subscriptions:
        ctx.out.write(
            _("No subscriptions yet. Add one with: renewaltracker add --name … --amount … --every … --start …") + "\n"
        )
        return 0
    rows = []
    for s in subscriptions:
        next_charge = s.next_charge(today)
        rows.append(
            (
                s.id,
                s.name,
                s.vendor,
                f"{amount_on(s, today, prices)} {s.currency}",
                s.interval.describe(),
                next_charge.isoformat() if next_charge else "—",
                s.status_on(today).value,
            )
        )
    print_table(
        (_("ID"), _("Name"), _("Vendor"), _("Amount"), _("Cycle"), _("Next charge"), _("Status")),
        rows,
        ctx.out,
        right=(0, 3),
    )
    if len(subscriptions) != len(everything):
        return 0  # totals of all would mislead under a filter
    from renewaltracker.domain.costs import is_running
    from renewaltracker.domain.costs import totals as cost_totals

    totals = cost_totals(everything, today, prices=prices)  # the list already read, not a second read of every row
    # The rows show each plan's whole price; a total of the user's shares says so, or it reads as a wrong sum.
    shared = {s.currency for s in everything if s.is_shared and is_running(s, today)}
    for currency, per_month in totals.per_month.items():
        line = (
            _("Total {currency} (your share): {per_month} per month, {value} per year")
            if currency in shared
            else _("Total {currency}: {per_month} per month, {value} per year")
        )
        ctx.out.write("\n" + line.format(currency=currency, per_month=per_month, value=totals.per_year[currency]))
    if totals.per_month:
        ctx.out.write("\n")
    return 0


def _human(value: Any) -> str:
    """A JSON value as a person reads it: lists joined, pauses as date ranges, never a Python repr."""
    if isinstance(value, list):
        return ", ".join(_human(item) for item in value)
    if isinstance(value, dict) and "start" in value:
        return f"{value['start']} to {value['end']}" if value.get("end") else f"from {value['start']} until resumed"
    return str(value)


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    subscription = ctx.reader.get(args.id)
    data = _with_household(subscription, ctx)
    if args.json:
        print_json(data, ctx.out)
        return 0
    width = max(len(key) for key in data)
    for key, value in data.items():
        if value in (None, "", []):
            continue
        ctx.out.write(f"{key.replace('_', ' ').ljust(width)}  {terminal_safe(_human(value))}\n")
    guide = CHANNEL_GUIDES[subscription.channel]
    for heading, steps in ((_("To cancel"), guide.cancel), (_("For a refund"), guide.refund)):
        ctx.out.write(f"\n{heading} ({_(guide.label)}):\n")
        for step in steps:
            ctx.out.write(f"  - {_(step.text)}" + (f" {step.url}" if step.url else "") + "\n")
    return 0


def cmd_upcoming(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.events import event_label, events_between

    start = _optional_date(args.start, "from") or ctx.clock.today()
    if args.until is not None:
        end = parse_date(args.until, "until")
    else:
        days = parse_count(args.days, "days", 0, MAX_UPCOMING_DAYS) if args.days is not None else 30
        end = start + timedelta(days=days)
    check_span(start, end)
    reader = ctx.reader
    events = events_between(reader.all(), start, end, reader.price_histories())
    if args.json:
        print_json([event_json(e) for e in events], ctx.out)
        return 0
    if not events:
        ctx.out.write(_("Nothing due between {start} and {end}.").format(start=start, end=end) + "\n")
        return 0
    rows = [
        (e.date.isoformat(), event_label(e.kind), e.name, f"{e.amount} {e.currency}", e.subscription_id) for e in events
    ]
    print_table((_("Date"), _("What"), _("Name"), _("Amount"), _("ID")), rows, ctx.out, right=(3, 4))
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add = commands.add_parser("add", help=_("add a subscription; prints it as JSON"))
    _add_field_options(add, required=True)
    add.add_argument("--intro-price", metavar="AMOUNT", help=_("an introductory price, charged until --intro-until"))
    add.add_argument("--intro-until", metavar="DATE", help=_("the first day of the full price (--amount)"))
    add.set_defaults(handler=cmd_add)

    edit = commands.add_parser(
        "edit",
        help=_("change fields of a subscription; prints it as JSON"),
        description=_('Change only the fields whose options are given; an empty value (--vendor "") clears a field.'),
    )
    edit.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    _add_field_options(edit, required=False)
    edit.set_defaults(handler=cmd_edit)

    cancel = commands.add_parser("cancel", help=_("mark cancelled: no charges from the effective date on"))
    cancel.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    cancel.add_argument("--effective", metavar="DATE", help=_("when the cancellation takes effect (default today)"))
    cancel.set_defaults(handler=cmd_cancel)

    pause = commands.add_parser("pause", help=_("pause a subscription: no charges while paused"))
    pause.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    pause.add_argument("--from", dest="start", metavar="DATE", help=_("first paused day (default today)"))
    pause.add_argument("--until", metavar="DATE", help=_("charges resume on this date (default: until 'resume')"))
    pause.set_defaults(handler=cmd_pause)

    resume = commands.add_parser("resume", help=_("end a pause (or undo a cancellation)"))
    resume.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    resume.add_argument("--on", metavar="DATE", help=_("charges are due again from this date (default today)"))
    resume.set_defaults(handler=cmd_resume)

    rm = commands.add_parser("rm", help=_("delete a subscription and its history"))
    rm.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    rm.set_defaults(handler=cmd_rm)

    list_ = commands.add_parser("list", help=_("all subscriptions with their next charge"))
    list_.add_argument("--json", action="store_true", help=_("print every field as JSON instead of a table"))
    list_.add_argument("--tag", metavar="TAG", help=_("only subscriptions with this tag (any case)"))
    list_.add_argument(
        "--sort",
        choices=LIST_SORTS,
        default="name",
        help=_("order by name (default, ignoring case), next charge, amount (largest first, per currency) or status"),
    )
    list_.add_argument("--status", choices=STATUSES, help=_("only subscriptions in this status"))
    list_.add_argument("--category", metavar="TEXT", help=_("only this category (ignoring case)"))
    list_.add_argument(
        "--search",
        metavar="TEXT",
        help=_(
            "only those whose name, vendor, category, notes, account, order number or payment method contain every word"
        ),
    )
    list_.set_defaults(handler=cmd_list)

    show = commands.add_parser("show", help=_("everything known about one subscription"))
    show.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    show.add_argument("--json", action="store_true", help=_("print JSON instead of text"))
    show.set_defaults(handler=cmd_show)

    upcoming = commands.add_parser("upcoming", help=_("charges, trial ends and deadlines in a date range"))
    upcoming.add_argument("--from", dest="start", metavar="DATE", help=_("first day (default today)"))
    window = upcoming.add_mutually_exclusive_group()
    window.add_argument("--until", metavar="DATE", help=_("last day, inclusive"))
    window.add_argument("--days", metavar="N", help=_("days after --from (default 30, at most 3660)"))
    upcoming.add_argument("--json", action="store_true", help=_("print a JSON list instead of a table"))
    upcoming.set_defaults(handler=cmd_upcoming)
