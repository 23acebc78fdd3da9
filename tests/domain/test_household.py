"""The household: duplicates by normalised service, costs per member, a shared plan counted once."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.household import Assignment, Member, duplicates, household_costs, service_key
from renewaltracker.domain.subscription import Status
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
