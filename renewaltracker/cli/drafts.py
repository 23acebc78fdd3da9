"""Sub-commands that draft emails about a subscription and keep its contact log."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from renewaltracker.cli.output import print_json, print_table, terminal_safe
from renewaltracker.cli.parsing import parse_date, parse_datetime, parse_id, parse_money
from renewaltracker.domain.draft_kinds import DraftKind, Tone, parse_kind, parse_tone
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.languages import LETTER_LANGUAGES, parse_letter_language
from renewaltracker.i18n import _

if TYPE_CHECKING:
    from renewaltracker.cli.context import Context
    from renewaltracker.domain.contacts import Contact
    from renewaltracker.domain.drafts import Draft
    from renewaltracker.services.drafts import ComposedDraft, DraftService
    from renewaltracker.services.mail import SmtpSettings

FORMATS = ("text", "json", "eml", "mailto", "pdf")
_LAYOUT = re.compile(r"(\r\n|\n|\t)")


def for_terminal(text: str, out: TextIO) -> str:
    """A letter for a terminal: its line breaks and tabs kept, every other control character shown escaped (as
    `terminal_safe` shows them in the other commands), so that no escape sequence from a name or a note reaches
    the terminal. Piped or redirected, the letter is written byte for byte."""
    isatty = getattr(out, "isatty", None)
    if not (callable(isatty) and isatty()):
        return text
    return "".join(part if _LAYOUT.fullmatch(part) else terminal_safe(part) for part in _LAYOUT.split(text))


def contact_json(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "subscription_id": contact.subscription_id,
        "at": contact.at.astimezone().isoformat(),
        "channel": contact.channel.label,
        "case": contact.case_number,
        "agent": contact.agent,
        "summary": contact.summary,
        "outcome": contact.outcome,
        "follow_up": contact.follow_up.isoformat() if contact.follow_up else None,
        "request_id": contact.request_id,
        "promised": contact.promised,
        "promised_by": contact.promised_by.isoformat() if contact.promised_by else None,
    }


def _write(path: str, data: bytes, ctx: Context) -> None:
    from renewaltracker.services.files import refuse_database_file, write_private

    refuse_database_file(Path(path), ctx.db_path, "out")
    try:
        write_private(Path(path), data, create_folder=False)
    except OSError as error:
        raise ValidationError(
            "out", _("cannot write {path}: {strerror}").format(path=path, strerror=error.strerror or error)
        ) from None


def cmd_draft(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.contacts import ContactService
    from renewaltracker.services.drafts import DraftService

    kind = parse_kind(args.kind)
    tone: Tone | None = parse_tone(args.tone) if args.tone else None
    charge_date = parse_date(args.charge, "charge") if args.charge else None
    new_amount = parse_money(args.new_price, "new-price", ctx.err)[0] if args.new_price else None
    if args.format == "pdf" and not args.out:
        raise ValidationError("out", _("a PDF needs --out FILE"))
    drafts = DraftService(ctx.service, ContactService(ctx.database, ctx.clock))
    language = parse_letter_language(args.letter_lang, "lang") if args.letter_lang else None
    composed = drafts.compose(
        kind,
        args.id,
        tone,
        charge_date,
        new_amount,
        args.request,
        unused=args.unused,
        policy=args.policy,
        language=language,
    )
    for problem in composed.problems:
        ctx.err.write(_("renewaltracker: warning: {problem}").format(problem=terminal_safe(str(problem))) + "\n")
    draft = composed.draft
    if args.send:
        return _send(draft, kind, args, ctx, drafts)
    code = _output(composed, kind, args, ctx)
    if args.log:
        _log(draft, kind, args, ctx, drafts, "Drafted (not sent by the app).")
    return code


def _output(composed: ComposedDraft, kind: DraftKind, args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.drafts import paper_letter
    from renewaltracker.services.mail import eml_bytes, mailto_url

    draft = composed.draft
    if args.format == "pdf" and composed.facts is not None:
        # Qt lays the letter out; imported here so that no other command loads Qt (pyproject names the exception).
        from renewaltracker.ui.letter_pdf import write_letter_pdf

        letter = paper_letter(kind, composed.facts, draft)
        try:
            write_letter_pdf(letter, Path(args.out).expanduser())
        except OSError as error:
            raise ValidationError(
                "out", _("cannot write {out}: {strerror}").format(out=args.out, strerror=error.strerror or error)
            ) from None
        ctx.out.write(_("Saved {out}").format(out=args.out) + "\n")
        return 0
    if args.format == "eml":
        data = eml_bytes(draft, ctx.service.setting("user_email"), ctx.clock.now())
        if args.out:
            _write(args.out, data, ctx)
            ctx.out.write(_("Saved {out}").format(out=args.out) + "\n")
        else:
            ctx.out.write(for_terminal(data.decode("utf-8"), ctx.out))
        return 0
    if args.format == "json":
        print_json({"to": draft.to, "subject": draft.subject, "body": draft.body}, ctx.out)
        return 0
    if args.format == "mailto":
        text = mailto_url(draft) + "\n"
    else:
        text = (f"To: {draft.to}\n" if draft.to else "") + f"Subject: {draft.subject}\n\n{draft.body}"
    if args.out:
        _write(args.out, text.encode("utf-8"), ctx)
        ctx.out.write(_("Saved {out}").format(out=args.out) + "\n")
    else:
        ctx.out.write(for_terminal(text, ctx.out))
    return 0


def _ask_password(prompt: str, reason: str, err: TextIO) -> str:
    """Typed without echo, after saying why it is asked; only where a person is at the keyboard."""
    if not sys.stdin.isatty():
        raise ValidationError(
            "password", _("{reason}, and there is no terminal to type it in").format(reason=reason or _("it is needed"))
        )
    if reason:
        err.write(_("renewaltracker: {reason}").format(reason=reason) + "\n")
    import getpass

    return getpass.getpass(prompt)


def _password(settings: SmtpSettings, ctx: Context) -> str | None:
    """The keyring's password, else typed in for this one send (and kept nowhere)."""
    from renewaltracker.services.mail import stored_password
    from renewaltracker.services.secrets import KeyringSecretStore, SecretUnavailable

    if not settings.needs_password:
        return None
    try:
        stored = stored_password(KeyringSecretStore(), settings)
        reason = _("no password is stored for this server (store one with 'renewaltracker mail password')")
    except SecretUnavailable as error:
        stored, reason = None, str(error)
    if stored:
        return stored
    prompt = _("Password for {user} on {host}: ").format(user=settings.user, host=settings.host)
    return _ask_password(prompt, reason, ctx.err)


def _send(draft: Draft, kind: DraftKind, args: argparse.Namespace, ctx: Context, drafts: DraftService) -> int:
    from renewaltracker.services.mail import MailError, send, smtp_settings

    settings = smtp_settings(ctx.service.settings())
    try:
        send(draft, settings, _password(settings, ctx), ctx.clock.now())
    except MailError as error:
        ctx.err.write(_("renewaltracker: error: not sent: {error}").format(error=terminal_safe(str(error))) + "\n")
        return 2
    ctx.out.write(_("Sent to {to} through {host}.").format(to=draft.to, host=settings.host) + "\n")
    if args.log:
        _log(draft, kind, args, ctx, drafts, "Sent by email.")
    return 0


def _log(
    draft: Draft, kind: DraftKind, args: argparse.Namespace, ctx: Context, drafts: DraftService, outcome: str
) -> None:
    """Record the letter in the contact log, sent or not, under the request it makes; a letter on paper is logged
    as one."""
    from renewaltracker.domain.contacts import Channel, Contact

    channel = Channel.LETTER if args.format == "pdf" and not args.send else Channel.EMAIL
    entry = Contact(args.id, ctx.clock.now(), channel, summary=f"{kind.label}: {draft.subject}", outcome=outcome)
    contact = drafts.record(kind, entry, parse_date(args.charge, "charge") if args.charge else None)
    # Progress goes to stderr when stdout carries the draft itself, so the draft stays clean for pipes.
    stream = ctx.out if args.send or args.out else ctx.err
    stream.write(_("Recorded in the contact log as contact {id}.").format(id=contact.id) + "\n")


def cmd_mail_password(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.mail import remember_password, smtp_settings
    from renewaltracker.services.secrets import KeyringSecretStore, SecretUnavailable

    settings = smtp_settings(ctx.service.settings())
    if not settings.host or not settings.user:
        raise ValidationError("smtp_user", _("set smtp_host and smtp_user first (renewaltracker config …)"))
    try:
        KeyringSecretStore().check()  # say so before asking for a password that could not be stored
    except SecretUnavailable as error:
        raise ValidationError("password", _("cannot be stored: {error}").format(error=error)) from None
    prompt = _("Password for {user} on {host}: ").format(user=settings.user, host=settings.host)
    password = _ask_password(prompt, "", ctx.err)
    if not password:
        raise ValidationError("password", _("nothing was typed; nothing was stored"))
    try:
        remember_password(KeyringSecretStore(), settings, password)
    except SecretUnavailable as error:
        raise ValidationError("password", str(error)) from None
    ctx.out.write(
        _("Stored the password for {user} on {host} in the system keyring.").format(
            user=settings.user, host=settings.host
        )
        + "\n"
    )
    return 0


def cmd_mail_test(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.mail import MailError, send_test, smtp_settings

    settings = smtp_settings(ctx.service.settings())
    try:
        send_test(settings, _password(settings, ctx), ctx.clock.now())
    except MailError as error:
        ctx.err.write(
            _("renewaltracker: error: the test failed: {error}").format(error=terminal_safe(str(error))) + "\n"
        )
        return 2
    ctx.out.write(
        _("A test message was sent to {sender} through {host}.").format(sender=settings.sender, host=settings.host)
        + "\n"
    )
    return 0


def cmd_templates(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.draft_templates import TemplateLibrary

    library = TemplateLibrary()
    try:
        shipped = library.write_reference_copies()
    except OSError as error:
        raise ValidationError(
            "templates",
            _("cannot prepare {user_dir}: {strerror}").format(
                user_dir=library.user_dir, strerror=error.strerror or error
            ),
        ) from None
    ctx.out.write(_("Your templates folder: {user_dir}").format(user_dir=library.user_dir) + "\n")
    ctx.out.write(_("The shipped templates, to copy from: {shipped}").format(shipped=shipped) + "\n")
    overridden = library.overridden()
    ctx.out.write(
        _("Your own copies in use: {join}").format(join=", ".join(overridden)) + "\n"
        if overridden
        else _("No own copies yet.") + "\n"
    )
    return 0


def _contact_fields(args: argparse.Namespace) -> dict[str, Any]:
    from renewaltracker.domain.contacts import parse_channel

    fields: dict[str, Any] = {}
    if args.channel is not None:
        fields["channel"] = parse_channel(args.channel)
    if args.at is not None:
        fields["at"] = parse_datetime(args.at, "at")
    for option, name in (("case", "case_number"), ("agent", "agent"), ("summary", "summary"), ("outcome", "outcome")):
        value = getattr(args, option)
        if value is not None:
            fields[name] = value
    if args.follow_up is not None:
        fields["follow_up"] = parse_date(args.follow_up, "follow-up") if args.follow_up else None
    if args.request is not None:
        fields["request_id"] = args.request
    if args.promised is not None:
        fields["promised"] = args.promised
    if args.promised_by is not None:
        fields["promised_by"] = parse_date(args.promised_by, "promised-by") if args.promised_by else None
    return fields


def cmd_contact_add(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.domain.contacts import Contact
    from renewaltracker.services.contacts import ContactService

    fields = _contact_fields(args)
    fields.setdefault("at", ctx.clock.now())
    saved = ContactService(ctx.database, ctx.clock).add(Contact(subscription_id=args.id, **fields))
    print_json(contact_json(saved), ctx.out)
    return 0


def cmd_contact_edit(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.contacts import ContactService

    fields = _contact_fields(args)
    if not fields:
        raise ValidationError(
            "edit", _("give at least one option to change (see 'renewaltracker contact edit --help')")
        )
    saved = ContactService(ctx.database, ctx.clock).edit(args.contact_id, **fields)
    print_json(contact_json(saved), ctx.out)
    return 0


def cmd_contact_rm(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.contacts import ContactService

    removed = ContactService(ctx.database, ctx.clock).delete(args.contact_id)
    ctx.out.write(
        _("Deleted contact {id} of {isoformat}").format(id=removed.id, isoformat=removed.at.date().isoformat()) + "\n"
    )
    return 0


def _print_contacts(contacts: list[Contact], as_json: bool, ctx: Context) -> None:
    if as_json:
        print_json([contact_json(c) for c in contacts], ctx.out)
        return
    if not contacts:
        ctx.out.write(_("No contacts found.") + "\n")
        return
    rows = [
        (
            c.id,
            c.subscription_id,
            c.at.astimezone().strftime("%Y-%m-%d %H:%M"),
            c.channel.label,
            c.case_number,
            c.agent,
            " ".join((c.outcome or c.summary).split())[:60],
            c.follow_up.isoformat() if c.follow_up else "",
        )
        for c in contacts
    ]
    print_table(
        (_("ID"), _("Sub"), _("When"), _("Channel"), _("Case"), _("Agent"), _("Outcome / summary"), _("Follow up")),
        rows,
        ctx.out,
        right=(0, 1),
    )


def cmd_contact_list(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.contacts import ContactService

    _print_contacts(ContactService(ctx.database, ctx.clock).list_for(args.id), args.json, ctx)
    return 0


def cmd_contact_search(args: argparse.Namespace, ctx: Context) -> int:
    from renewaltracker.services.contacts import ContactService

    _print_contacts(ContactService(ctx.database, ctx.clock).search(args.text), args.json, ctx)
    return 0


def _add_contact_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    channels = (
        _("email, phone, chat, web form, in person or letter (required)")
        if required
        else _("email, phone, chat, web form, in person or letter")
    )
    parser.add_argument("--channel", metavar="CHANNEL", required=required, help=channels)
    parser.add_argument("--at", metavar="DATETIME", help=_("when, e.g. 2026-03-10T14:30 (default: now)"))
    parser.add_argument("--case", metavar="N", help=_("case or ticket number"))
    parser.add_argument("--agent", metavar="NAME", help=_("who you spoke to"))
    parser.add_argument("--summary", metavar="TEXT", help=_("what was said"))
    parser.add_argument("--outcome", metavar="TEXT", help=_("what was agreed or happened"))
    parser.add_argument("--follow-up", metavar="DATE", help=_("when to check back; becomes a reminder"))
    parser.add_argument(
        "--request", type=parse_id, metavar="REQ", help=_("the request it is about (see 'request list')")
    )
    parser.add_argument("--promised", metavar="TEXT", help=_("what the vendor promised"))
    parser.add_argument("--promised-by", metavar="DATE", help=_("the date it was promised by"))


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    draft = commands.add_parser("draft", help=_("draft a cancellation, refund or other email about a subscription"))
    draft.add_argument("kind", metavar="KIND", help=_("one of: {choices}").format(choices=", ".join(DraftKind)))
    draft.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    draft.add_argument("--charge", metavar="DATE", help=_("the charge the email is about (default: the latest)"))
    draft.add_argument("--tone", metavar="TONE", help=_("friendly, neutral or firm (default: the draft_tone setting)"))
    draft.add_argument("--new-price", metavar="AMOUNT", help=_("for price-increase: the new price"))
    draft.add_argument(
        "--lang",
        dest="letter_lang",  # the global --lang is the interface's
        metavar="LANG",
        help=_("the letter's language: {languages} (default: the subscription's, else the interface)").format(
            languages=", ".join(LETTER_LANGUAGES)
        ),
    )
    draft.add_argument("--unused", action="store_true", help=_("for refunds: say the renewed term has not been used"))
    draft.add_argument(
        "--policy", action="store_true", help=_("for refunds: the refund window is the vendor's own policy (say so)")
    )
    draft.add_argument(
        "--request", type=parse_id, metavar="REQ", help=_("for follow-up: the request (default: the latest open one)")
    )
    draft.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        metavar="FORMAT",
        help=_("text (default), json, eml, mailto or pdf (a letter on paper; needs --out)"),
    )
    draft.add_argument("--out", metavar="FILE", help=_("write to a file instead of the screen"))
    draft.add_argument("--send", action="store_true", help=_("send it through your SMTP server (see 'mail')"))
    draft.add_argument("--log", action="store_true", help=_("record the draft in the contact log, sent or not"))
    draft.set_defaults(handler=cmd_draft)

    mail = commands.add_parser("mail", help=_("sending drafts through your own SMTP server"))
    mail_actions = mail.add_subparsers(dest="mail_command", metavar="ACTION", required=True)
    password = mail_actions.add_parser("password", help=_("type the SMTP password once; it is kept in the keyring"))
    password.set_defaults(handler=cmd_mail_password)
    test = mail_actions.add_parser("test", help=_("send yourself a test message"))
    test.set_defaults(handler=cmd_mail_test)

    templates = commands.add_parser("templates", help=_("show the folder for your own email templates"))
    templates.set_defaults(handler=cmd_templates)

    contact = commands.add_parser("contact", help=_("the log of support contacts about a subscription"))
    actions = contact.add_subparsers(dest="contact_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help=_("record a contact"))
    add.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    _add_contact_options(add, required=True)
    add.set_defaults(handler=cmd_contact_add)
    edit = actions.add_parser("edit", help=_("change a recorded contact"))
    edit.add_argument(
        "contact_id", type=parse_id, metavar="CONTACT_ID", help=_("the contact's id (see 'contact list')")
    )
    _add_contact_options(edit, required=False)
    edit.set_defaults(handler=cmd_contact_edit)
    rm = actions.add_parser("rm", help=_("delete a recorded contact"))
    rm.add_argument("contact_id", type=parse_id, metavar="CONTACT_ID", help=_("the contact's id (see 'contact list')"))
    rm.set_defaults(handler=cmd_contact_rm)
    list_ = actions.add_parser("list", help=_("a subscription's contacts, newest first"))
    list_.add_argument("id", type=parse_id, metavar="ID", help=_("the subscription's id (see 'list')"))
    list_.add_argument("--json", action="store_true", help=_("print a JSON list instead of a table"))
    list_.set_defaults(handler=cmd_contact_list)
    search = actions.add_parser("search", help=_("contacts of every subscription containing all the words"))
    search.add_argument("text", metavar="TEXT", help=_("words to find in case numbers, agents, summaries and outcomes"))
    search.add_argument("--json", action="store_true", help=_("print a JSON list instead of a table"))
    search.set_defaults(handler=cmd_contact_search)
