"""The draft and contact commands, run in-process over a temporary database."""

from __future__ import annotations

import email
import getpass
import io
import json
from email import policy
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from renewaltracker.cli import drafts as drafts_cli
from renewaltracker.cli import run
from renewaltracker.domain.clock import FixedClock
from tests.mail_server import PASSWORD, USER, MailServer, free_port, smtp_auth_server, smtp_server

__all__ = ["smtp_auth_server", "smtp_server"]  # fixtures


class Cli:
    def __init__(self, db_path: Path, clock: FixedClock) -> None:
        self.db_path = db_path
        self.clock = clock

    def __call__(self, *argv: str, status: int = 0) -> str:
        out, err = io.StringIO(), io.StringIO()
        code = run(["--db", str(self.db_path), *argv], clock=self.clock, out=out, err=err)
        assert code == status, err.getvalue()
        if status == 2:
            assert err.getvalue().count("\n") == 1 and "Traceback" not in err.getvalue()
            return err.getvalue()
        return out.getvalue()


@pytest.fixture
def cli(db_path: Path, clock: FixedClock) -> Cli:
    cli = Cli(db_path, clock)
    cli(
        "add",
        "--name",
        "Digital",
        "--vendor",
        "The Magazine",
        "--amount",
        "39.99",
        "--currency",
        "USD",
        "--every",
        "1 month",
        "--start",
        "2026-01-05",
        "--refund-days",
        "7",
        "--order-number",
        "ORD-1",
        "--support-email",
        "help@magazine.example",
        "--payment-method",
        "Visa 4111 1111 1111 4242",
    )
    cli("config", "user_name", "Zoë O'Neil, Jr.")
    cli("config", "user_email", "zoe@example.com")
    return cli


def test_draft_json_names_the_latest_charge(cli: Cli) -> None:
    cli("charge", "add", "1", "--date", "2026-03-05", "--reference", "INV-305")
    draft = json.loads(cli("draft", "refund", "1", "--format", "json"))
    assert set(draft) == {"to", "subject", "body"}
    assert draft["to"] == "help@magazine.example"
    assert "5 March 2026" in draft["subject"]
    for detail in ("INV-305", "$39.99", "ORD-1", "Visa •••• 4242", "Zoë O'Neil, Jr.", "within 7 days of the charge"):
        assert detail in draft["body"]
    assert "4111" not in draft["body"]


def test_draft_of_a_scheduled_charge_and_tones(cli: Cli) -> None:
    firm = cli("draft", "refund", "1", "--charge", "2026-02-05", "--tone", "firm")
    subject = "Subject: Refund request: The Magazine Digital, order ORD-1, charge of 5 February 2026\n"
    assert firm.startswith("To: help@magazine.example\n" + subject)
    assert "Please reply within 14 days, by 24 March 2026" in firm
    assert "within 7 days of the charge" not in firm  # 5 February is outside the 7-day window on 10 March
    cli("config", "draft_tone", "friendly")
    assert "Best wishes," in cli("draft", "cancel", "1")


def test_price_increase_from_history_or_announced(cli: Cli) -> None:
    cli("charge", "add", "1", "--date", "2026-02-05", "--amount", "34.99")
    cli("charge", "add", "1", "--date", "2026-03-05")
    assert "has gone up from $34.99 to $39.99" in cli("draft", "price-increase", "1")
    assert "has gone up from $39.99 to $44.99" in cli("draft", "price-increase", "1", "--new-price", "44.99")


def test_draft_mailto_and_eml(cli: Cli, tmp_path: Path) -> None:
    url = cli("draft", "cancel", "1", "--format", "mailto").strip()
    query = parse_qs(urlsplit(url).query)
    assert query["subject"] == ["Please cancel my subscription to The Magazine Digital (order ORD-1)"]
    assert "Zoë O'Neil, Jr.\r\n" in query["body"][0]
    target = tmp_path / "cancel.eml"
    assert cli("draft", "cancel", "1", "--format", "eml", "--out", str(target)) == f"Saved {target}\n"
    message = email.message_from_bytes(target.read_bytes(), policy=policy.default)
    assert message["From"] == "zoe@example.com" and message["To"] == "help@magazine.example"
    assert "Zoë O'Neil, Jr." in message.get_body(("plain",)).get_content()


def test_draft_errors_are_one_line(cli: Cli, tmp_path: Path) -> None:
    assert "not one of" in cli("draft", "shout", "1", status=2)
    assert "tone" in cli("draft", "cancel", "1", "--tone", "rude", status=2)
    assert "no subscription with id 9" in cli("draft", "cancel", "9", status=2)
    assert "no charge on 6 February 2026" in cli("draft", "refund", "1", "--charge", "2026-02-06", status=2)
    assert "cannot write" in cli("draft", "cancel", "1", "--out", str(tmp_path / "no" / "such" / "x.txt"), status=2)


@pytest.mark.expect_log_warnings
def test_a_broken_user_template_warns_and_still_drafts(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "home" / "config" / "renewaltracker" / "templates"
    folder.mkdir(parents=True)
    (folder / "cancel.txt.j2").write_text("Subject: x\n\n{% if %}\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run(["--db", str(cli.db_path), "draft", "cancel", "1"], clock=cli.clock, out=out, err=err) == 0
    assert "cancel.txt.j2, line 3" in err.getvalue() and "shipped template was used" in err.getvalue()
    assert "Subject: Please cancel my subscription to The Magazine Digital" in out.getvalue()


def test_contact_add_list_search_edit_rm(cli: Cli) -> None:
    added = json.loads(
        cli(
            "contact",
            "add",
            "1",
            "--channel",
            "web form",
            "--at",
            "2026-03-09T14:30+01:00",
            "--case",
            "T-77",
            "--agent",
            "Ana",
            "--summary",
            "Asked, for a refund",
            "--follow-up",
            "2026-03-16",
        )
    )
    assert added["channel"] == "web form" and added["follow_up"] == "2026-03-16"
    listed = json.loads(cli("contact", "list", "1", "--json"))
    assert [c["case"] for c in listed] == ["T-77"]
    assert "T-77" in cli("contact", "list", "1") and "Asked, for a refund" in cli("contact", "list", "1")
    assert [c["id"] for c in json.loads(cli("contact", "search", "ana refund", "--json"))] == [added["id"]]
    assert cli("contact", "search", "zzz") == "No contacts found.\n"
    edited = json.loads(cli("contact", "edit", str(added["id"]), "--outcome", "Refunded", "--follow-up", ""))
    assert edited["outcome"] == "Refunded" and edited["follow_up"] is None
    follow_up = cli("draft", "follow-up", "1")
    assert "Follow-up on case T-77" in follow_up
    assert "9 March 2026 by web form, case T-77, with Ana: Refunded" in follow_up
    assert cli("contact", "rm", str(added["id"])).startswith("Deleted contact")
    assert "channel" in cli("contact", "add", "1", "--channel", "pigeon", status=2)
    assert "at" in cli("contact", "add", "1", "--channel", "phone", "--at", "yesterday", status=2)
    assert "no subscription" in cli("contact", "add", "5", "--channel", "phone", status=2)


def test_templates_shows_the_folder(cli: Cli, tmp_path: Path) -> None:
    out = cli("templates")
    folder = tmp_path / "home" / "config" / "renewaltracker" / "templates"
    assert f"Your templates folder: {folder}\n" in out and "No own copies yet." in out
    assert (folder / "shipped" / "refund.txt.j2").is_file()
    (folder / "refund.txt.j2").write_text("Subject: mine\n\nmine\n", encoding="utf-8")
    assert "Your own copies in use: refund.txt.j2" in cli("templates")
    assert cli("draft", "refund", "1").endswith("Subject: mine\n\nmine\n")


def _use_server(cli: Cli, port: int, user: str = "") -> None:
    for key, value in (
        ("smtp_host", "127.0.0.1"),
        ("smtp_port", str(port)),
        ("smtp_security", "none"),
        ("smtp_user", user),
    ):
        cli("config", key, value)


def test_send_and_log(cli: Cli, smtp_server: MailServer) -> None:
    _use_server(cli, smtp_server.port)
    out = cli("draft", "cancel", "1", "--send", "--log")
    assert out.startswith("Sent to help@magazine.example through 127.0.0.1.\n") and "contact 1" in out
    [raw] = smtp_server.inbox.messages
    message = email.message_from_bytes(raw, policy=policy.default)
    assert (
        message["Subject"] == "Please cancel my subscription to The Magazine Digital (order ORD-1)"
        and message["From"] == "zoe@example.com"
    )
    [logged] = json.loads(cli("contact", "list", "1", "--json"))
    assert logged["channel"] == "email" and logged["outcome"] == "Sent by email."
    assert "A test message was sent to zoe@example.com" in cli("mail", "test")


@pytest.mark.expect_log_warnings
def test_send_errors_are_one_line(cli: Cli) -> None:
    _use_server(cli, free_port())
    assert "not sent:" in cli("draft", "cancel", "1", "--send", status=2)
    assert "the test failed:" in cli("mail", "test", status=2)
    cli("config", "smtp_host", "")
    assert "no mail server is set up" in cli("draft", "cancel", "1", "--send", status=2)


def test_password_from_the_keyring_or_typed_each_time(
    cli: Cli, smtp_auth_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_server(cli, smtp_auth_server.port, user=USER)
    typed: list[str] = []
    monkeypatch.setattr(drafts_cli.sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: typed.append(prompt) or PASSWORD)
    assert "Stored the password" in cli("mail", "password")
    cli("draft", "cancel", "1", "--send")  # from the keyring: nothing typed
    assert len(typed) == 1 and smtp_auth_server.inbox.logins == [USER]
    keyring.set_keyring(FailKeyring())
    out, err = io.StringIO(), io.StringIO()
    assert run(["--db", str(cli.db_path), "draft", "cancel", "1", "--send"], clock=cli.clock, out=out, err=err) == 0
    assert "asked for each time" in err.getvalue() and len(typed) == 2
    error = cli("mail", "password", status=2)
    assert "GNOME Keyring or KWallet" in error and "FailKeyring" not in error  # advice, not the backend's text
    assert len(typed) == 2  # said before asking for a password it could not keep


def test_no_terminal_no_password(cli: Cli, smtp_auth_server: MailServer) -> None:
    _use_server(cli, smtp_auth_server.port, user=USER)
    error = cli("draft", "cancel", "1", "--send", status=2)  # pytest's stdin is not a terminal
    assert "no password is stored for this server" in error and "no terminal" in error


def test_refund_options_unused_and_policy_and_written_confirmation(cli: Cli) -> None:
    cli("charge", "add", "1", "--date", "2026-03-05")
    plain = json.loads(cli("draft", "refund", "1", "--format", "json"))["body"]
    assert "Please confirm the refund in writing." in plain
    assert "not used" not in plain and "refund policy" not in plain
    both = json.loads(cli("draft", "refund", "1", "--format", "json", "--unused", "--policy"))["body"]
    assert "I have not used the renewed term." in both
    assert "I am asking within 7 days of the charge, as your refund policy allows." in both


def test_trial_refund_before_the_trial_ended_and_price_increase_without_prices_are_refused(cli: Cli) -> None:
    cli("add", "--name", "Headspace", "--amount", "12.99", "--currency", "USD", "--every", "1 month",
        "--trial-end", "2026-03-20")  # fmt: skip
    error = cli("draft", "trial-refund", "2", status=2)
    assert "the free trial has not ended yet (it ends on 20 March 2026): draft 'cancel' instead" in error
    cancel = cli("draft", "cancel", "2")
    assert "before my free trial ends on 20 March 2026, and make sure that no charge is taken" in cancel
    assert "no price increase is known: give the new price with --new-price" in cli(
        "draft", "price-increase", "1", status=2
    )
    assert "is not higher than" in cli("draft", "price-increase", "1", "--new-price", "30", status=2)


def test_log_records_the_draft_whether_or_not_it_is_sent(cli: Cli) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["--db", str(cli.db_path), "draft", "cancel", "1", "--log"], clock=cli.clock, out=out, err=err) == 0
    assert out.getvalue().startswith("To: help@magazine.example\n")  # the draft alone on stdout
    assert err.getvalue() == "Recorded in the contact log as contact 1.\n"
    [contact] = json.loads(cli("contact", "list", "1", "--json"))
    assert contact["channel"] == "email" and contact["summary"].startswith("Cancel the subscription: Please cancel")


LETTER_LINES = [
    "Zoë O'Neil, Jr.",
    "12 Elm Street",
    "Springfield, IL 62701",
    "Phone: +1 217 555 0100",
    "Subscriber Services",
    "PO Box 100",
    "Boulder, CO 80301",
    "10 March 2026",
    "Please cancel my subscription to The Magazine Digital",
    "confirm the cancellation in writing",
]


def test_a_postal_letter_as_pdf_reads_back_with_both_addresses(cli: Cli, tmp_path: Path) -> None:
    import subprocess
    import unicodedata

    cli("edit", "1", "--postal-address", "The Magazine; Subscriber Services; PO Box 100; Boulder, CO 80301")
    cli("config", "user_address", "12 Elm Street; Springfield, IL 62701")
    cli("config", "user_phone", "+1 217 555 0100")
    target = tmp_path / "cancel.pdf"
    assert cli("draft", "cancel", "1", "--format", "pdf", "--out", str(target), "--log") == (
        f"Saved {target}\nRecorded in the contact log as contact 1.\n"
    )
    assert target.read_bytes().startswith(b"%PDF-")
    # A real reader, not our own parser: poppler's pdftotext (.ci/run installs poppler-utils).
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(unicodedata.normalize("NFKC", text).split())  # ligatures (ﬁ) and layout spaces undone
    for expected in LETTER_LINES:
        assert expected in words, expected
    [contact] = json.loads(cli("contact", "list", "1", "--json"))
    assert contact["channel"] == "letter"
    assert "needs --out" in cli("draft", "cancel", "1", "--format", "pdf", status=2)


def test_a_planned_rise_drafts_a_price_increase_letter_without_new_price(cli: Cli) -> None:
    cli("price", "step", "1", "--from", "2026-05-05", "--amount", "44.99")
    body = json.loads(cli("draft", "price-increase", "1", "--format", "json"))["body"]
    assert "is to go up from $39.99 to $44.99 on 5 May 2026" in body
    cli("price", "rm", "1", "2026-05-05")
    error = cli("draft", "price-increase", "1", status=2)
    assert "no price increase is known" in error  # one line, exit 2: checked by Cli


def test_a_rise_already_in_force_names_the_old_price_and_its_date(cli: Cli) -> None:
    cli("price", "step", "1", "--from", "2026-03-05", "--amount", "44.99")
    body = json.loads(cli("draft", "price-increase", "1", "--format", "json"))["body"]
    assert "has gone up from $39.99 to $44.99 since 5 March 2026" in body


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


HOSTILE = "Evil\x1b]0;owned\x07\x1b[2J\u202eName"


def test_a_letter_on_a_terminal_shows_control_characters_escaped(cli: Cli, db_path: Path, clock: FixedClock) -> None:
    cli("edit", "1", "--name", HOSTILE)
    piped = cli("draft", "cancel", "1")
    # Redirected to a file or a pipe: the letter byte for byte, as before (the letter's own cleaning turned the C0
    # controls into spaces; the right-to-left override is still there).
    assert "Evil ]0;owned [2J\u202eName" in piped
    for fmt in ("text", "eml", "mailto"):
        out, err = Terminal(), io.StringIO()
        assert run(["--db", str(db_path), "draft", "cancel", "1", "--format", fmt], clock=clock, out=out, err=err) == 0
        shown = out.getvalue()
        assert not any(char in shown for char in "\x1b\x07\u202e")
        if fmt == "text":
            assert shown == piped.replace("\u202e", "\\u202e")  # line breaks kept, only the override shown escaped


@pytest.mark.expect_log_warnings
def test_a_server_s_answer_cannot_drive_the_terminal(cli: Cli) -> None:
    """The server's own words are quoted in the error line: their control characters are shown escaped."""
    from aiosmtpd.controller import Controller

    class Hostile:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            return "554 \x1b]0;owned\x07\x1b[2J refused"

    port = free_port()
    controller = Controller(Hostile(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        _use_server(cli, port)
        for error in (cli("draft", "cancel", "1", "--send", status=2), cli("mail", "test", status=2)):
            assert "\x1b" not in error and "\x07" not in error
            assert "\\x1b]0;owned" in error
    finally:
        controller.stop()


def test_the_mail_password_prompt_speaks_the_interface_language(
    cli: Cli, smtp_auth_server: MailServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_server(cli, smtp_auth_server.port, user=USER)
    prompts: list[str] = []
    monkeypatch.setattr(drafts_cli.sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(getpass, "getpass", lambda prompt: prompts.append(prompt) or PASSWORD)
    cli("--lang", "de", "mail", "password")
    assert prompts == [f"Passwort für {USER} auf 127.0.0.1: "]
