"""`remind`: print the reminders due now and record them in the same exactly-once log the tray uses."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from renewaltracker.cli.output import print_json, terminal_safe
from renewaltracker.cli.parsing import parse_datetime
from renewaltracker.i18n import _

if TYPE_CHECKING:
    from renewaltracker.cli.context import Context
    from renewaltracker.domain.reminders import Reminder


def reminder_json(reminder: Reminder, today: Any) -> dict[str, Any]:
    from renewaltracker.domain.events import EventKind

    event = reminder.event
    return {
        "key": reminder.key.text(),
        "due_at": reminder.due_at.isoformat(),
        "subscription_id": event.subscription_id,
        "kind": reminder.kind,
        "also": [companion.kind for companion in reminder.companions],
        "event_date": event.date.isoformat(),
        "lead_days": reminder.key.lead_days,
        "name": event.name,
        "amount": str(event.amount),
        "currency": event.currency,
        "charge_date": event.charge_date.isoformat(),
        "cancel_by": reminder.cancel_by.isoformat() if reminder.cancel_by else None,
        "refund_until": event.date.isoformat() if event.kind is EventKind.REFUND_WINDOW_END else None,
        "title": reminder.title(),
        "message": reminder.body(today),
    }


def cmd_remind(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.reminders import collector_paused

    # 10⁵ rows, events and texts, none of them cyclic, in a process that ends right after: the cycle collector
    # would only rescan them again and again (a tenth of the command at 10,000 subscriptions).
    with collector_paused():
        return _remind(args, ctx)


def _remind(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.reminder_store import StoreSources
    from renewaltracker.services.reminders import ReminderService

    now = parse_datetime(args.now, "now") if args.now else ctx.clock.now()
    store = ctx.reminder_store()
    # Follow-up dates from the contact log are reminded like any other event, and so is the periodic review.
    found = StoreSources(store)
    sources = [found.follow_up_events, found.review_events]
    # One check and done: plan only the days it looks at, not the weeks a running window keeps planned.
    service = ReminderService(None, None, ctx.clock, extra_sources=sources, plan_ahead=timedelta(0), store=store)
    today = now.astimezone(service.zone).date()
    reminders = service.due(now) if args.dry_run else service.claim_due(now)
    if args.json:
        print_json([reminder_json(r, today) for r in reminders], ctx.out)
    elif not reminders and args.dry_run:
        # Only the dry run, which someone reads: plain `remind` runs from cron, which mails any output at all.
        ctx.out.write(_("No reminders are due now.") + "\n")
    else:
        # One write: thousands of small ones cost more than composing the text.
        ctx.out.write("".join(f"{terminal_safe(r.title())}\n    {terminal_safe(r.body(today))}\n" for r in reminders))
    ctx.out.flush()
    if not args.dry_run:
        service.confirm(reminders)
    return 0


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    remind = commands.add_parser(
        "remind", help=_("print the reminders due now, each once (for cron or a systemd timer)")
    )
    remind.add_argument("--now", metavar="DATETIME", help=_("act as if it were this time (YYYY-MM-DDTHH:MM)"))
    remind.add_argument("--json", action="store_true", help=_("print a JSON list instead of text"))
    remind.add_argument("--dry-run", action="store_true", help=_("show what is due without recording it"))
    remind.set_defaults(handler=cmd_remind)
