"""Planning reminders reads only `PLANNED_FIELDS`: the plain reader hands `remind` subscriptions holding only those
(storage/quick_read.py `planned`), so a plan must not change whatever the other fields hold."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from renewaltracker.domain.reminders import reminders_between
from renewaltracker.domain.subscription import Subscription
from renewaltracker.domain.subscription_fields import DATA_FIELDS, PLANNED_FIELDS, defaults_except
from tests.domain.test_reminder_entries_reference import scenario
from tests.test_field_round_trip import every_field_set


def _mixed(planned: Subscription, others: dict[str, Any]) -> Subscription:
    """`planned`'s planned fields with `others` for the rest, built as the plain reader builds them."""
    values = {name: getattr(planned, name) for name in PLANNED_FIELDS}
    return Subscription.from_normalised({**others, **values})


def _plan(case: tuple[Any, ...], subscriptions: list[Subscription]) -> list[Any]:
    _, start, end, defaults, time_of_day, zone, extra, charges, refund_lead, prices = case
    return reminders_between(
        subscriptions,
        start,
        end,
        default_lead_days=defaults,
        time_of_day=time_of_day,
        zone=zone,
        extra_events=extra,
        charges=charges,
        refund_lead_days=refund_lead,
        prices=prices,
    )


@settings(max_examples=200, deadline=None)
@given(case=scenario(), noise=st.lists(every_field_set(), min_size=7, max_size=7))
def test_a_plan_is_the_same_whatever_the_fields_it_does_not_read_hold(
    case: tuple[Any, ...], noise: list[Subscription]
) -> None:
    subscriptions: list[Subscription] = case[0]
    expected = _plan(case, subscriptions)
    # Every other field at its default (what `planned` reads), and at the values of some other subscription.
    left_out = defaults_except(*PLANNED_FIELDS)
    assert _plan(case, [_mixed(s, left_out) for s in subscriptions]) == expected
    scrambled = [
        _mixed(s, {name: getattr(other, name) for name in DATA_FIELDS})
        for s, other in zip(subscriptions, noise[: len(subscriptions)], strict=True)
    ]
    assert _plan(case, scrambled) == expected


def test_every_field_left_out_has_a_default() -> None:
    assert set(defaults_except(*PLANNED_FIELDS)) == set(DATA_FIELDS) - PLANNED_FIELDS
