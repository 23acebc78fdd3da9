"""The words a person reads for the field keys that ValidationError carries ("notice-days" → "Notice period").

The key stays an identifier (the editor highlights the widget by it, the CLI prints it as the option's name);
a front end shows the label instead, translated with _() when shown.
"""

from __future__ import annotations

from renewaltracker.i18n import N_

# The labels the editor shows beside the fields, so an error names the field the way the form does.
FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "vendor": N_("Vendor"),
    "category": N_("Category"),
    "amount": N_("Amount"),
    "currency": N_("Currency"),
    "every": N_("Billing cycle"),
    "start": N_("First charge"),
    "end": N_("Last date"),
    "end-count": N_("Number of charges"),
    "notice-days": N_("Notice period"),
    "refund-days": N_("Refund window"),
    "remind": N_("Reminders"),
    "support-email": N_("Support email"),
    "cancel-url": N_("Cancellation page"),
    "split": N_("Shared between"),
    "share": N_("Your share"),
    "status": N_("Status"),
    "resume": N_("Resume date"),
    "trial_end": N_("Trial end"),
    "trial-end": N_("Trial end"),
    "purchase-date": N_("Purchase date"),
    "postal-address": N_("Vendor's postal address"),
    "payment-method": N_("Payment method"),
    "account": N_("Account"),
    "order-number": N_("Order number"),
    "notes": N_("Notes"),
    "tags": N_("Tags"),
    "used": N_("Last used"),
    "effective": N_("Cancellation date"),
    "letter-language": N_("Letter language"),
    "channel": N_("Channel"),
    # Pauses and exchange rates: a period's ends, a rate's two currencies.
    "from": N_("From"),
    "until": N_("Until"),
    "to": N_("To"),
    "charge": N_("Charge"),
    "date": N_("Date"),
    "reference": N_("Reference"),
    "note": N_("Note"),
    "source": N_("Source"),
    # Contact log and money-back requests.
    "at": N_("Date and time"),
    "summary": N_("Summary"),
    "agent": N_("Agent"),
    "case": N_("Case number"),
    "promised": N_("Promised"),
    "promised-by": N_("Promised by"),
    "follow-up": N_("Follow-up"),
    "request": N_("Request"),
    "outcome": N_("Outcome"),
    "recovered": N_("Amount recovered"),
    "kind": N_("Kind of letter"),
    "tone": N_("Tone"),
    # Household, exchange rates, calendar and settings.
    "rate": N_("Exchange rate"),
    "file": N_("File"),
    "fetch": N_("Download"),
    "url": N_("Web address"),
    "ids": N_("Subscriptions"),
    "next": N_("Next charge"),
    "setting": N_("Setting"),
    "text": N_("Text"),
    "caldav_url": N_("Calendar address"),
    "reminder_days": N_("Remind me (days before)"),
    "reminder_time": N_("At this time of day"),
}

# Keys shown as they are, on purpose: a command-line option, iCalendar property names, the name an import
# gives its own data, and setting names (the settings a form edits have a label above).
IDENTIFIER_FIELDS = frozenset({"--data-home", "--map", "DESCRIPTION", "SUMMARY", "UID", "export"})

# Subscription attributes whose field key differs from the attribute's name (an import names what changed).
ATTRIBUTE_KEYS: dict[str, str] = {
    "interval": "every",
    "anchor": "start",
    "end_date": "end",
    "cancelled_on": "effective",
    "last_used": "used",
    "split_between": "split",
    "fixed_share": "share",
    "keep_clipped_day": "keep-clipped-day",
    "pauses": "pauses",
}
FIELD_LABELS["keep-clipped-day"] = N_("Month ends")
FIELD_LABELS["pauses"] = N_("Pauses")


def attribute_label(name: str) -> str:
    """The untranslated label of a Subscription attribute, or the attribute's own name when it has none."""
    key = ATTRIBUTE_KEYS.get(name, name.replace("_", "-"))
    return FIELD_LABELS.get(key) or FIELD_LABELS.get(name) or name
