"""Letters in German and French: every kind × tone × state, the dates and amounts read back with Babel's German
and French formats agree with the data; and every language has every phrase and every template."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from babel.dates import get_month_names
from babel.numbers import parse_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from renewaltracker.assets import resource
from renewaltracker.domain.drafts import DraftFacts, DraftKind, Tone, draft_refusal, price_change
from renewaltracker.domain.languages import BABEL_LOCALES
from renewaltracker.domain.letter_phrases import PHRASES, format_day, format_money
from renewaltracker.domain.subscription import Charge
from renewaltracker.services.draft_templates import SUFFIX
from renewaltracker.services.drafts import compose_from_facts
from tests.domain.test_draft_truth import LIBRARY, TODAY, states
from tests.factories import make_subscription

LANGUAGES = ("de", "fr")


def _month_pattern(language: str) -> dict[str, int]:
    return {name: number for number, name in get_month_names("wide", locale=BABEL_LOCALES[language]).items()}


_DAY = {"de": r"(\d{1,2})\.", "fr": r"(1er|\d{1,2})"}
_AMOUNT = re.compile(r"(\d{1,3}(?:[ .]\d{3})*,\d{2}) (€|\$US|\$|£GB|£)")


def dates_in(text: str, language: str) -> list[date]:
    months = _month_pattern(language)
    pattern = _DAY[language] + r" (" + "|".join(months) + r") (\d{4})"
    found = []
    for day, month, year in re.findall(pattern, text):
        found.append(date(int(year), months[month], 1 if day == "1er" else int(day)))
    return found


def amounts_in(text: str, language: str) -> list[Decimal]:
    return (
        [
            parse_decimal(figure.replace(" ", "\u202f"), locale=BABEL_LOCALES[language])
            for figure, _ in _AMOUNT.findall(text)
        ]
        if language == "fr"
        else [parse_decimal(figure, locale=BABEL_LOCALES[language]) for figure, _ in _AMOUNT.findall(text)]
    )


def check_letter(kind: DraftKind, facts: DraftFacts, text: str) -> None:
    sub = facts.subscription
    language = facts.language
    charge = facts.charge if kind.names_a_charge else None
    refund_end = charge.date + timedelta(days=sub.refund_days) if charge and sub.refund_days else None
    change = price_change(facts) if kind is DraftKind.PRICE_INCREASE else None
    known = {TODAY, sub.trial_end, facts.cancel_by, facts.next_charge, facts.reply_by, refund_end}
    known |= {charge.date} if charge else set()
    for day in dates_in(text, language):
        assert day in known, f"{day} is not a date of this subscription"
    amounts = {sub.amount} | ({charge.amount} if charge else set()) | set(change or ())
    for amount in amounts_in(text, language):
        assert amount in amounts, f"{amount} is no amount of this subscription"
    # No English month or English-style amount slips into the letter.
    english_months = "January|February|March|April|May|June|July|August|September|October|November|December"
    assert not re.search(r"\b\d{1,2} (" + english_months + r") \d{4}", text)
    assert not re.search(r"[$€£]\d", text)
    reply = {
        "de": r"innerhalb von (\d+) Tagen?, spätestens bis zum ",
        "fr": r"répondre sous (\d+) jours?, au plus tard le ",
    }[language]
    match = re.search(reply + r"(.+?)\.\n", text)
    if match:
        deadline = dates_in(match.group(2), language)[0]
        assert (deadline - TODAY).days == int(match.group(1)) > 0
        assert facts.next_charge is None or deadline < facts.next_charge
    if kind is DraftKind.PRICE_INCREASE:
        rise = {"de": r"von (.+?) auf (.+?) gestiegen", "fr": r"est passé de (.+?) à (.+?)\. "}[language]
        found = re.search(rise, text)
        assert found is not None and change is not None
        old, new = (amounts_in(group, language)[0] for group in found.groups())
        assert (old, new) == change


@settings(max_examples=60, deadline=None)
@given(facts=states(), language=st.sampled_from(LANGUAGES))
def test_no_german_or_french_letter_contradicts_its_data(facts: DraftFacts, language: str) -> None:
    facts = replace(facts, language=language)
    for kind in DraftKind:
        if kind is DraftKind.FOLLOW_UP:
            continue
        for tone in Tone:
            if draft_refusal(kind, facts) is not None:
                continue
            draft = compose_from_facts(LIBRARY, kind, tone, facts).draft
            check_letter(kind, facts, draft.subject + "\n" + draft.body)


def test_the_checker_catches_a_wrong_date_or_amount() -> None:
    facts = DraftFacts(make_subscription(id=1, vendor="Acme"), TODAY, next_charge=date(2026, 3, 12), language="de")
    with pytest.raises(AssertionError):
        check_letter(DraftKind.CANCEL, facts, "Abbuchung am 24. Dezember 2026.\n")
    with pytest.raises(AssertionError):
        check_letter(DraftKind.CANCEL, facts, "Betrag von 12,34 €.\n")
    with pytest.raises(AssertionError):
        check_letter(DraftKind.CANCEL, replace(facts, language="fr"), "le 3 December 2026\n")


def test_german_conventions() -> None:
    sub = make_subscription(
        id=1,
        vendor="Netflix",
        name="Premium",
        amount=Decimal("39.99"),
        currency="EUR",
        account="4711",
        payment_method="Visa ending 4242",
    )
    facts = DraftFacts(sub, TODAY, charge=Charge(1, date(2026, 3, 3), Decimal("39.99"), "EUR"), language="de")
    cancel = compose_from_facts(LIBRARY, DraftKind.CANCEL, Tone.NEUTRAL, facts).draft
    assert cancel.subject == "Kündigung meines Abonnements Netflix Premium, Kundennummer 4711"
    assert cancel.body.startswith("Sehr geehrte Damen und Herren,\n\nhiermit kündige ich")
    assert "zum nächstmöglichen Zeitpunkt" in cancel.body and "in Textform" in cancel.body
    assert "Mit freundlichen Grüßen\n" in cancel.body
    refund = compose_from_facts(LIBRARY, DraftKind.REFUND, Tone.NEUTRAL, facts).draft
    assert "erstatten Sie den Betrag von 39,99 € auf mein Zahlungsmittel (Visa ending 4242) zurück" in refund.body
    assert format_day(date(2026, 12, 3), "de") == "3. Dezember 2026"
    assert format_money(Decimal("39.99"), "EUR", "de") == "39,99 €"


def test_french_conventions() -> None:
    sub = make_subscription(id=1, vendor="Canal+", name="Canal+", amount=Decimal("39.99"), currency="EUR")
    facts = DraftFacts(sub, TODAY, language="fr")
    cancel = compose_from_facts(LIBRARY, DraftKind.CANCEL, Tone.NEUTRAL, facts).draft
    assert cancel.subject.startswith("Résiliation de mon abonnement Canal+")
    assert cancel.body.startswith("Madame, Monsieur,\n")
    assert "l'expression de mes salutations distinguées." in cancel.body
    assert format_day(date(2026, 12, 3), "fr") == "3 décembre 2026"
    assert format_day(date(2026, 3, 1), "fr") == "1er mars 2026"
    assert format_money(Decimal("39.99"), "EUR", "fr") == "39,99 €"


def test_every_language_has_every_phrase_and_template() -> None:
    for language in LANGUAGES:
        assert PHRASES[language].keys() == PHRASES["en"].keys()
        english = {node.name for node in resource("templates").iterdir() if node.name.endswith(SUFFIX)}
        own = {node.name for node in resource("templates", language).iterdir()}
        assert own == english, language
