"""A date named in a message from the domain or the services is written as the interface language writes dates in
a sentence ("1 December 2026", "1. Dezember 2026", "1er décembre 2026"), never in its ISO form: the window shows
these messages as they were raised, and the command line writes them on stderr."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renewaltracker.cli import run
from renewaltracker.domain.clock import FixedClock
from renewaltracker.domain.contacts import Channel, Contact
from renewaltracker.domain.drafts import DraftKind
from renewaltracker.domain.errors import DuplicateChargeError, NotFoundError, ValidationError, check_span
from renewaltracker.domain.letter_phrases import format_day
from renewaltracker.domain.schedule import EARLIEST_DATE, LATEST_DATE, Pause, check_date
from renewaltracker.domain.subscription import Charge
from renewaltracker.domain.unused import check_used_on
from renewaltracker.i18n import INTERFACE_LANGUAGES, install_language
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.draft_templates import TemplateLibrary
from renewaltracker.services.drafts import DraftService
from renewaltracker.services.reminder_store import follow_up_events
from renewaltracker.services.subscriptions import SubscriptionService
from tests.factories import make_subscription

# The fixtures' clock reads 10 March 2026; the plan below charges on the 5th of each month from January 2026.
TODAY = date(2026, 3, 10)
DAYS = st.dates(EARLIEST_DATE + timedelta(days=1), LATEST_DATE)
FUTURE = st.dates(TODAY + timedelta(days=1), LATEST_DATE)
OUT_OF_RANGE = st.dates(date(1, 1, 1), EARLIEST_DATE - timedelta(days=1)) | st.dates(
    LATEST_DATE + timedelta(days=1), date(9998, 12, 31)
)
Raise = Callable[[SubscriptionService, DraftService, int, date], object]
BEFORE = timedelta(days=1)

# (what names the date, the days it may name, how it is made to say it, the dates it then names besides the day)
CASES: dict[str, tuple[st.SearchStrategy[date], Raise, Callable[[date], list[date]]]] = {
    "out of range": (
        OUT_OF_RANGE,
        lambda _s, _d, _id, day: check_date(day, "start"),
        lambda _day: [EARLIEST_DATE, LATEST_DATE],
    ),
    "pause": (DAYS, lambda _s, _d, _id, day: Pause(day, day), lambda _day: []),
    "plan ends before it starts": (
        DAYS,
        lambda _s, _d, _id, day: make_subscription(anchor=day, end_date=day - BEFORE),
        lambda day: [day - BEFORE],
    ),
    "follow-up before the contact": (
        DAYS,
        lambda _s, _d, sid, day: Contact(
            sid, datetime.combine(day, time(12), UTC), Channel.PHONE, follow_up=day - BEFORE
        ),
        lambda day: [day - BEFORE],
    ),
    "refund before the charge": (
        DAYS,
        lambda _s, _d, sid, day: Charge(sid, day, Decimal("1"), "EUR", refunded_on=day - BEFORE),
        lambda day: [day - BEFORE],
    ),
    "use in the future": (FUTURE, lambda _s, _d, _id, day: check_used_on(day, TODAY), lambda _day: []),
    "duplicate charge": (
        DAYS,
        lambda _s, _d, sid, day: _raise(DuplicateChargeError(sid, day, Decimal("9.99"), "EUR")),
        lambda _day: [],
    ),
    "upcoming backwards": (DAYS, lambda s, _d, _id, day: s.upcoming(day, day - BEFORE), lambda day: [day - BEFORE]),
    "follow-ups backwards": (
        DAYS,
        lambda s, _d, _id, day: ContactService(s.database, s.clock).follow_up_events(day, day - BEFORE),
        lambda day: [day - BEFORE],
    ),
    "reminder follow-ups backwards": (
        DAYS,
        lambda _s, _d, _id, day: follow_up_events([], day, day - BEFORE),
        lambda day: [day - BEFORE],
    ),
    # A charge dated tomorrow is taken (somewhere it is tomorrow already); the day after is in the future.
    "charge in the future": (
        st.dates(TODAY + 2 * BEFORE, LATEST_DATE),
        lambda s, _d, sid, day: s.record_charge(sid, day),
        lambda _day: [],
    ),
    "no price step": (DAYS, lambda s, _d, sid, day: s.remove_price_step(sid, day), lambda _day: []),
    "no charge that day": (
        DAYS.filter(lambda day: day.day != 5),
        lambda _s, drafts, sid, day: drafts.find_charge(sid, day),
        lambda _day: [],
    ),
    "trial still running": (
        FUTURE,
        lambda s, drafts, _id, day: drafts.compose(
            DraftKind.TRIAL_REFUND,
            _added(s, make_subscription(name="Trial", anchor=None, trial_end=day)),
        ),
        lambda _day: [],
    ),
}


def _raise(error: Exception) -> None:
    raise error


def _added(service: SubscriptionService, subscription: object) -> int:
    saved = service.add(subscription)  # type: ignore[arg-type]
    assert saved.id is not None
    return saved.id


def said(attempt: Callable[[], object]) -> str:
    """The message the user reads: a ValidationError's problem (after its field's label), another error's text."""
    with pytest.raises((ValidationError, NotFoundError)) as raised:
        attempt()
    error = raised.value
    return error.problem if isinstance(error, ValidationError) else str(error)


@pytest.mark.parametrize("language", INTERFACE_LANGUAGES)
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_message_names_its_dates_as_the_interface_language_writes_them(
    service: SubscriptionService, tmp_path: Path, case: str, language: str
) -> None:
    days, attempt, also = CASES[case]
    drafts = DraftService(service, ContactService(service.database, service.clock), TemplateLibrary(tmp_path / "t"))
    subscription_id = _added(service, make_subscription(name="Gym", anchor=date(2026, 1, 5), currency="EUR"))

    @given(day=days)
    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    def names_them(day: date) -> None:
        install_language(language)
        message = said(lambda: attempt(service, drafts, subscription_id, day))
        for named in (day, *also(day)):
            assert format_day(named, language) in message, message
            assert named.isoformat() not in message, message

    names_them()


@pytest.mark.parametrize("language", INTERFACE_LANGUAGES)
def test_the_command_line_names_a_backwards_span_s_dates_in_its_language(db_path: Path, language: str) -> None:
    err = io.StringIO()
    clock = FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=UTC))
    code = run(
        ["--db", str(db_path), "--lang", language, "upcoming", "--from", "2026-12-01", "--until", "2026-11-30"],
        clock=clock,
        out=io.StringIO(),
        err=err,
    )
    assert code == 2
    for day in (date(2026, 12, 1), date(2026, 11, 30)):
        assert format_day(day, language) in err.getvalue() and day.isoformat() not in err.getvalue()


# A spelled-out date takes the words a sentence gives it: German "vor dem 1. Dezember", "vom … bis zum …", French
# "le 1er décembre", "du … au …" (the ISO dates these messages had before read as codes, without them).
IN_A_SENTENCE: list[tuple[str, Callable[[], object], str]] = [
    (
        "de",
        lambda: check_span(date(2026, 12, 1), date(2026, 11, 30)),
        "30. November 2026 liegt vor dem 1. Dezember 2026",
    ),
    (
        "fr",
        lambda: check_span(date(2026, 12, 1), date(2026, 11, 30)),
        "le 30 novembre 2026 précède le 1er décembre 2026",
    ),
    (
        "de",
        lambda: check_date(date(1800, 1, 1), "start"),
        "1. Januar 1800 liegt außerhalb des Bereichs (vom 1. Januar 1900 bis zum 31. Dezember 2999)",
    ),
    (
        "fr",
        lambda: check_date(date(1800, 1, 1), "start"),
        "le 1er janvier 1800 est hors limites (du 1er janvier 1900 au 31 décembre 2999)",
    ),
    (
        "fr",
        lambda: check_used_on(date(2026, 12, 1), TODAY),
        "le 1er décembre 2026 est dans le futur\u00a0; enregistrez une utilisation une fois qu’elle a eu lieu",
    ),
    (
        "de",
        lambda: make_subscription(anchor=date(2026, 12, 1), end_date=date(2026, 11, 30)),
        "das letzte Datum (30. November 2026) liegt vor der ersten Abbuchung am 1. Dezember 2026",
    ),
    (
        "fr",
        lambda: make_subscription(anchor=date(2026, 12, 1), end_date=date(2026, 11, 30)),
        "la dernière date (30 novembre 2026) précède le premier prélèvement, le 1er décembre 2026",
    ),
    (
        "fr",
        lambda: Contact(1, datetime(2026, 12, 1, 12, tzinfo=UTC), Channel.PHONE, follow_up=date(2026, 11, 30)),
        "le 30 novembre 2026 précède le contact lui-même (1er décembre 2026)",
    ),
]


@pytest.mark.parametrize(("language", "attempt", "expected"), IN_A_SENTENCE)
def test_a_date_in_a_german_or_french_message_has_the_words_a_sentence_gives_it(
    language: str, attempt: Callable[[], object], expected: str
) -> None:
    install_language(language)
    assert said(attempt) == expected
