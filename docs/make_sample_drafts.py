"""Writes docs/sample-drafts.md: drafts for realistic records, produced by the CLI on a temporary database.

Run from the repository root: `python docs/make_sample_drafts.py`. The clock is fixed, so the output is stable.
"""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from renewaltracker.cli import run  # noqa: E402
from renewaltracker.domain.clock import FixedClock  # noqa: E402

CLOCK = FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Berlin")))

SUBSCRIPTIONS = [
    ["--name", "Print + Digital", "--vendor", "Northwind Monthly", "--amount", "39.99", "--currency", "USD",
     "--every", "1 year", "--start", "2025-03-08", "--refund-days", "30", "--order-number", "NWM-448120",
     "--account", "sam.lee@example.com", "--support-email", "subscriptions@northwind.example",
     "--payment-method", "Visa 4111 1111 1111 4242"],
    ["--name", "Standard", "--vendor", "Netflix", "--amount", "15.49", "--currency", "USD", "--every", "1 month",
     "--start", "2025-11-20", "--account", "sam.lee@example.com", "--support-email", "help@netflix.example",
     "--payment-method", "Visa ending 4242"],
    ["--name", "Photography plan", "--vendor", "Adobe", "--amount", "119.88", "--currency", "USD",
     "--every", "1 year", "--trial-end", "2026-03-03", "--refund-days", "14", "--order-number", "AD-7731-2290",
     "--support-email", "support@adobe.example", "--payment-method", "Mastercard ending 5100"],
    ["--name", "Premium membership", "--vendor", "FitZone GmbH", "--amount", "39.00", "--currency", "EUR",
     "--every", "1 month", "--start", "2026-03-02", "--notice-days", "30", "--order-number", "M-104233",
     "--purchase-date", "2026-03-02", "--support-email", "service@fitzone.example",
     "--payment-method", "SEPA direct debit"],
    ["--name", "Plus", "--vendor", "CloudBox", "--amount", "11.99", "--currency", "GBP", "--every", "1 month",
     "--start", "2025-10-14", "--support-email", "billing@cloudbox.example",
     "--payment-method", "Visa Debit ending 8831"],
    ["--name", "The New York Times", "--amount", "4.00", "--currency", "USD", "--every", "4 weeks",
     "--trial-end", "2026-03-20", "--account", "sam.lee@example.com", "--support-email", "help@nytimes.example",
     "--payment-method", "4111 1111 1111 1111"],
    ["--name", "Zeitung Digital", "--vendor", "Rheinische Post", "--amount", "39.99", "--currency", "EUR",
     "--every", "1 month", "--start", "2025-12-03", "--notice-days", "14", "--refund-days", "14",
     "--account", "4711-0815", "--support-email", "leserservice@rp.example", "--payment-method", "SEPA-Lastschrift",
     "--letter-language", "de"],
]  # fmt: skip

# (title, region, command after "draft")
SAMPLES = [
    ("Refund of an unwanted renewal, friendly", "", ["refund", "1", "--tone", "friendly"]),
    ("Refund of an unwanted renewal, firm", "", ["refund", "1", "--tone", "firm"]),
    ("Refund of an unwanted renewal, neutral, term unused, window is the vendor's policy", "",
     ["refund", "1", "--unused", "--policy"]),
    ("Refund after a free trial converted, neutral", "", ["trial-refund", "3"]),
    ("Cancellation, neutral, with the EU right of withdrawal (a contract made 8 days ago)", "EU",
     ["cancel", "4"]),
    ("Cancellation, friendly, California", "US-CA", ["cancel", "2", "--tone", "friendly"]),
    ("Cancellation during a free trial, firm (no vendor given; a card number pasted as the payment method)", "",
     ["cancel", "6", "--tone", "firm"]),
    ("Objection to a price increase, neutral (old price from the charge history)", "", ["price-increase", "2"]),
    ("Objection to an announced price increase, firm", "", ["price-increase", "5", "--new-price", "14.99",
                                                            "--tone", "firm"]),
    ("Unrecognised or duplicate charge, firm", "", ["dispute", "5", "--charge", "2026-03-03", "--tone", "firm"]),
    ("Follow-up on earlier contacts, neutral", "", ["follow-up", "5"]),
    ("Letter to the bank to stop a recurring card payment, neutral, UK", "UK", ["bank-stop", "5"]),
    ("German: Kündigung, neutral, with the EU right of withdrawal", "EU", ["cancel", "4", "--lang", "de"]),
    ("German: Kündigung, firm (the subscription's letter language is German)", "", ["cancel", "7", "--tone", "firm"]),
    ("German: Erstattung after an unwanted renewal, neutral", "", ["refund", "7"]),
    ("French: résiliation, neutral", "", ["cancel", "5", "--lang", "fr"]),
    ("French: remboursement after a free trial converted, firm", "", ["trial-refund", "3", "--lang", "fr",
                                                                      "--tone", "firm"]),
]  # fmt: skip


def cli(db: Path, *argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db), *argv], clock=CLOCK, out=out, err=err)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {err.getvalue()}")
    return out.getvalue()


def build(db: Path) -> None:
    for options in SUBSCRIPTIONS:
        cli(db, "add", *options)
    cli(db, "config", "user_name", "Sam Lee")
    cli(db, "config", "user_email", "sam.lee@example.com")
    cli(db, "charge", "add", "1", "--date", "2026-03-08", "--reference", "INV-2026-0308")
    for day, amount in (("2026-01-20", "13.99"), ("2026-02-20", "15.49")):
        cli(db, "charge", "add", "2", "--date", day, "--amount", amount)
    cli(db, "charge", "add", "3", "--date", "2026-03-03", "--reference", "AD-INV-55120")
    cli(db, "charge", "add", "5", "--date", "2026-03-03", "--reference", "CB-88112")
    cli(db, "charge", "add", "7", "--date", "2026-03-03")
    promised = "Refund of the duplicate promised within 5 working days"
    cli(db, "contact", "add", "5", "--channel", "chat", "--at", "2026-03-04T18:10+00:00", "--case", "CB-20931",
        "--agent", "Priya", "--summary", "Charged twice on 3 March", "--outcome", promised)  # fmt: skip
    cli(db, "contact", "add", "5", "--channel", "phone", "--at", "2026-03-09T11:45+00:00", "--case", "CB-20931",
        "--agent", "Tom", "--outcome", "No refund yet; escalated to billing")  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_CONFIG_HOME"] = folder  # the shipped templates, never the author's own copies
        db = Path(folder) / "samples.sqlite3"
        build(db)
        parts = [
            "# Sample drafts\n",
            "Produced by `python docs/make_sample_drafts.py` with the command line on a temporary database, "
            "with today's date fixed at 10 March 2026 and the user name set to Sam Lee. "
            "Every detail comes from the records; details that are not known are left out.\n",
        ]
        for title, region, command in SAMPLES:
            cli(db, "config", "region", region)
            draft = json.loads(cli(db, "draft", *command, "--format", "json"))
            setting = f"renewaltracker config region {region} && " if region else ""
            parts.append(f"\n## {title}\n\n`{setting}renewaltracker draft {' '.join(command)}`\n")
            to = f"To: {draft['to']}\n" if draft["to"] else "To: (your bank's address)\n"
            parts.append(f"\n```text\n{to}Subject: {draft['subject']}\n\n{draft['body']}```\n")
        (ROOT / "docs" / "sample-drafts.md").write_text("".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
