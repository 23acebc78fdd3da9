"""In German and in French, no English is left in the window, its menus or its dialogs: every text a person reads
(labels, tabs, buttons, menu entries, placeholders, accessible names, tooltips, combo items, Qt's own words) differs
from the English window's, apart from words that are the same in both languages (names of brands, languages,
currencies)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.drafts import DraftKind
from renewaltracker.i18n import install_language
from renewaltracker.services.secrets import MemorySecretStore
from renewaltracker.storage.database import open_database
from renewaltracker.ui.app import install_qt_translation
from renewaltracker.ui.composition import Collaborators, Features, build_main_window
from renewaltracker.ui.context import AppContext
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.household import AssignDialog, HouseholdFigures, ReviewDialog
from renewaltracker.ui.mail_settings import MailSettingsDialog
from renewaltracker.ui.price_steps import PriceStepDialog
from renewaltracker.ui.settings_dialog import SettingsDialog
from tests.factories import make_subscription
from tests.ui.fakes import FakeNotifier
from tests.ui.widget_texts import widget_texts

# Names, the same in every language: not a leak.
SAME_EVERYWHERE = {
    "Renewal Tracker",
    "PayPal",
    "Apple App Store",
    "Google Play",
    "Amazon",
    "English",
    "Deutsch",
    "Français",
    "https://…",
    "support@example.com",
    "Gym",
    "Acme",
    "&Port",
    "smtp.example.com",
}
# The same word in English and the language: not a leak either.
SAME_IN_BOTH = {
    "de": SAME_EVERYWHERE
    | {"Status", "Name", "&Name", "Problem", "Details", "April", "August", "September", "November", "&Region"},
    "fr": SAME_EVERYWHERE | {"Notes", "Contacts", "STARTTLS (port 587)", "SSL/TLS (port 465)"},
}
SAME_PATTERNS = (
    re.compile(r"^[A-Z]{3} — .*"),  # a currency code with its name, which Babel gives in the region's language
    re.compile(r"^[\d\W]*$"),  # numbers, amounts, dates in figures
)


def is_word_text(text: str) -> bool:
    return re.search(r"[A-Za-z]{3}", text) is not None


# Tags, figures and punctuation split a text into phrases: an English phrase inside a German text is a leak too.
PHRASE_BREAKS = re.compile(r"<[^>]+>|&[a-z]+;|[\n—:()•·,;→?!]|[$€£¥]?\d[\d.,/ %$€£¥]*")


def phrases(text: str) -> set[str]:
    """The phrases of two or more words in a text, e.g. "to avoid the" and "charge" from a cancel-by line."""
    found = set()
    for part in PHRASE_BREAKS.split(text):
        words = part.split()
        if len(words) >= 2 and sum(1 for word in words if re.fullmatch(r"[A-Za-z’'.-]{2,}", word)) >= 2:
            found.add(" ".join(words))
    return found


Screen = Callable[[Features], QWidget]


def screens() -> dict[str, Screen]:
    """Each screen a person reaches, opened over one subscription with a charge."""

    def editor(features: Features) -> QWidget:
        dialog = features.window.commands.edit_id(only(features))
        assert dialog is not None
        return dialog

    def draft(features: Features) -> QWidget:
        dialog = features.letters.open_draft(DraftKind.REFUND, only(features))
        assert dialog is not None
        return dialog

    def copied_draft(features: Features) -> QWidget:
        dialog = features.letters.open_draft(DraftKind.REFUND, only(features))
        assert dialog is not None
        dialog.copy_to_clipboard()  # the offer to record it in the contact log
        return dialog

    def household(features: Features) -> QWidget:
        view = features.household.view
        assert view is not None
        household = features.household.household
        household.add_member("Sam")
        household.assign(only(features), payer="", users=("Sam",))
        # The figures the view's worker would work out, shown here at once: a pool thread may still be busy.
        view._show(HouseholdFigures(household.costs(), "", None, household.duplicates()))
        return view

    return {
        "main window": lambda features: features.window,
        "editor": editor,
        "draft": draft,
        "settings": lambda features: SettingsDialog(features.window.context.service, apply_autostart=lambda _on: None),
        "price step": lambda features: PriceStepDialog("USD", date(2026, 3, 1), features.window.formatter),
        "email settings": lambda features: MailSettingsDialog(features.window.context, MemorySecretStore()),
        "assign": lambda features: AssignDialog(features.household, only(features)),
        "copied draft": copied_draft,
        "household": household,
        "review": lambda features: ReviewDialog(features.household),
    }


def only(features: Features) -> int:
    (subscription,) = features.window.context.service.all()
    assert subscription.id is not None
    return subscription.id


def texts_in(language: str, locale: str, qapp: QApplication, folder: Path) -> dict[str, set[str]]:
    install_language(language)
    install_qt_translation(qapp, language)
    clock = FixedClock(datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")))
    # The folder outlives the window: its debounced writers may still look for the database.
    database = open_database(folder / "texts.sqlite3")
    context = AppContext.create(database, clock)
    collaborators = Collaborators(
        MemorySecretStore(), FakeNotifier().factory, Formatter(locale), tray_available=False, quit_app=lambda: None
    )
    features = build_main_window(context, collaborators)
    # Every optional row of the detail pane: notice and refund periods, a price change, a share, a long disuse.
    saved = context.service.add(
        make_subscription(
            name="Gym",
            vendor="Acme",
            amount=Decimal("30"),
            anchor=date(2026, 1, 5),
            notice_days=30,
            refund_days=60,
            split_between=2,
            last_used=date(2025, 6, 1),
        )
    )
    assert saved.id is not None
    context.service.record_charge(saved.id, date(2026, 1, 5), Decimal("25"))
    context.service.record_charge(saved.id, date(2026, 2, 5))
    features.window.open_subscription(saved.id)
    found = {}
    for name, screen in screens().items():
        widget = screen(features)
        texts = {text for _where, text in widget_texts(widget) if is_word_text(text)}
        worded = [text for text in texts if not any(p.match(text) for p in SAME_PATTERNS)]
        found[name] = texts | {phrase for text in worded for phrase in phrases(text)}
        if widget is not features.window:
            widget.deleteLater()
    features.close()
    context.signals.detach()
    return found


LANGUAGES = {"de": ("de_DE", "German"), "fr": ("fr_FR", "French")}


@pytest.fixture(params=sorted(LANGUAGES))
def english_and_translated(
    request: pytest.FixtureRequest, qapp: QApplication, tmp_path: Path
) -> Iterator[tuple[str, dict[str, set[str]], dict[str, set[str]]]]:
    language = request.param
    (tmp_path / "en").mkdir()
    (tmp_path / language).mkdir()
    try:
        english = texts_in("en", "en_US", qapp, tmp_path / "en")
        yield language, english, texts_in(language, LANGUAGES[language][0], qapp, tmp_path / language)
    finally:
        install_language("en")
        install_qt_translation(qapp, "en")


def test_no_english_is_left_in_the_translated_window(
    english_and_translated: tuple[str, dict[str, set[str]], dict[str, set[str]]],
) -> None:
    language, english, translated = english_and_translated
    leaks = {
        screen: sorted(
            text
            for text in translated[screen] & english[screen]
            if text not in SAME_IN_BOTH[language] and not any(p.match(text) for p in SAME_PATTERNS)
        )
        for screen in english
    }
    assert all(english.values()), "every screen shows some text"
    left = [f"{screen}: {text!r}" for screen, texts in leaks.items() for text in texts]
    assert not left, f"English in the {LANGUAGES[language][1]} window:\n" + "\n".join(left)
