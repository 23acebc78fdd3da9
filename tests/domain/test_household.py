"""The household: duplicates by normalised service, costs per member, a shared plan counted once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.costs import is_running, yearly_figure
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.household import (
    Assignment,
    Member,
    duplicates,
    household_costs,
    service_key,
    split_evenly,
)
from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Status, Subscription
from tests.factories import make_subscription

TODAY = date(2026, 3, 10)


def test_service_keys_drop_plan_and_company_words() -> None:
    assert service_key("Spotify Family") == service_key("Spotify Premium Individual") == "spotify"
    assert service_key("Netflix, Inc.") == service_key("NETFLIX") == "netflix"
    assert service_key("Crème TV") == "creme tv"
    assert service_key("") == ""


def test_two_accounts_of_one_service_are_flagged_cancelled_ones_are_not() -> None:
    subs = [
        make_subscription(id=1, name="Netflix"),
        make_subscription(id=2, name="Films", vendor="Netflix Inc."),
        make_subscription(id=3, name="Spotify Family"),
        make_subscription(id=4, name="Spotify Individual"),
        make_subscription(id=5, name="Newspaper"),
        make_subscription(id=6, name="Newspaper", status=Status.CANCELLED, cancelled_on=date(2026, 1, 1)),
        make_subscription(id=7, name="iCloud+", vendor="Apple"),
        make_subscription(id=8, name="AppleCare+", vendor="Apple"),  # one vendor, two different services
    ]
    groups = [[s.id for s in group] for group in duplicates(subs, TODAY)]
    assert groups == [[1, 2], [3, 4]]


def test_a_family_plan_shared_by_members_counts_once() -> None:
    alice, bob = Member("Alice", 1), Member("Bob", 2)
    family = make_subscription(id=1, name="Spotify Family", amount="18.00")
    solo = make_subscription(id=2, name="Gym", amount="30.00", currency="EUR")
    nobody = make_subscription(id=3, name="Cloud", amount="1.00")
    assignments = {1: Assignment(1, (1, 2)), 2: Assignment(2, (2,))}
    costs = household_costs([family, solo, nobody], [alice, bob], assignments, TODAY)
    assert costs.total == {"EUR": Decimal("360.00"), "USD": Decimal("228.00")}  # 18×12 + 1×12: once, not per user
    by_name = {c.member.name: c for c in costs.members}
    assert by_name["Alice"].pays == {"USD": Decimal("216.00")}
    assert by_name["Alice"].uses == {"USD": Decimal("108.00")}  # half of the family plan each
    assert by_name["Bob"].uses == {"EUR": Decimal("360.00"), "USD": Decimal("108.00")}
    assert costs.unassigned == {"USD": Decimal("12.00")}


def test_a_member_needs_a_name() -> None:
    with pytest.raises(ValidationError):
        Member("  ")
    assert Member(" Ann\nMarie ").name == "Ann Marie"


def test_a_plan_used_by_three_splits_to_the_cent_the_first_member_taking_the_odd_one() -> None:
    members = [Member("Ann", 1), Member("Ben", 2), Member("Cy", 3)]
    plan = make_subscription(id=1, amount="10.00", interval="1 year", anchor=date(2026, 6, 1))
    costs = household_costs([plan], members, {1: Assignment(1, (1, 2, 3))}, TODAY)
    assert [c.uses for c in costs.members] == [
        {"USD": Decimal("3.34")},
        {"USD": Decimal("3.33")},
        {"USD": Decimal("3.33")},
    ]
    assert split_evenly(Decimal("100"), 7, "JPY") == [Decimal(15)] * 2 + [Decimal(14)] * 5
    assert split_evenly(Decimal("1.000"), 3, "BHD") == [Decimal("0.334"), Decimal("0.333"), Decimal("0.333")]


plans = st.builds(
    Subscription,
    name=st.just("Plan"),
    amount=st.decimals(min_value=0, max_value=10_000, places=3),
    currency=st.sampled_from(["USD", "EUR", "JPY", "KWD"]),
    interval=st.builds(Interval, st.integers(1, 14), st.sampled_from(list(Unit))),
    anchor=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
    split_between=st.one_of(st.none(), st.integers(1, 7)),
)
people = st.tuples(st.integers(0, 4), st.lists(st.integers(1, 4), max_size=4, unique=True).map(sorted))


@given(st.lists(st.tuples(plans, people), max_size=10))
def test_members_figures_add_up_to_the_household_total_to_the_cent(generated: list[tuple[Subscription, Any]]) -> None:
    from dataclasses import replace

    members = [Member(name, number) for number, name in enumerate(("Ann", "Ben", "Cy"), start=1)]  # 4: no one
    items = [replace(plan, id=number) for number, (plan, _) in enumerate(generated, start=1)]
    assignments = {
        number: Assignment(payer or None, tuple(users)) for number, (_, (payer, users)) in enumerate(generated, start=1)
    }
    costs = household_costs(items, members, assignments, TODAY)

    def added(*figures: dict[str, Decimal]) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = {}
        for per in figures:
            for code, value in per.items():
                sums[code] = sums.get(code, Decimal(0)) + value
        return sums

    running = [s for s in items if is_running(s, TODAY)]
    assert costs.total == added(*({s.currency: yearly_figure(s, TODAY)} for s in running))
    assert added(costs.unassigned, *(c.pays for c in costs.members)) == costs.total
    used = [s for s in running if any(i in (1, 2, 3) for i in assignments[s.id or 0].user_ids)]
    assert added(*(c.uses for c in costs.members)) == added(*({s.currency: yearly_figure(s, TODAY)} for s in used))


def test_a_plan_paused_today_is_no_duplicate_of_the_running_one() -> None:
    """An open pause dropped a plan from the duplicates; a pause with an end (the table shows Paused) did not."""
    running = make_subscription(id=1, name="Netflix")
    paused_until = make_subscription(id=2, name="Netflix", pauses=(Pause(date(2026, 3, 1), date(2026, 6, 1)),))
    paused_open = make_subscription(id=3, name="Netflix", status=Status.PAUSED, pauses=(Pause(date(2026, 3, 1)),))
    assert duplicates([running, paused_until, paused_open], TODAY) == []
    assert [[s.id for s in g] for g in duplicates([running, paused_until], date(2026, 6, 1))] == [[1, 2]]


def test_names_in_other_scripts_and_with_eszett_are_compared_too() -> None:
    """Accents were dropped by throwing away every non-ASCII letter: a Cyrillic or Greek name had no key, so two
    accounts of one service were never flagged, and "Straße" did not match "Strasse"."""
    assert service_key("Яндекс Плюс") == service_key("ЯНДЕКС плюс Family") != ""
    assert service_key("Straße Kino") == service_key("STRASSE KINO")
    subs = [make_subscription(id=1, name="Кинопоиск"), make_subscription(id=2, name="КИНОПОИСК Premium")]
    assert [[s.id for s in g] for g in duplicates(subs, TODAY)] == [[1, 2]]
    assert duplicates([make_subscription(id=1, name="Кино"), make_subscription(id=2, name="Музыка")], TODAY) == []


@given(st.text(alphabet="abzAZéÉèüÜößàçÇñЯяжЖΩωσςΣ09 .-", max_size=30), st.sampled_from(["upper", "lower", "title"]))
def test_a_service_key_ignores_case_in_any_script(name: str, change: str) -> None:
    assert service_key(getattr(name, change)()) == service_key(name)
