"""Which status changes apply in which status: one rule that the transitions and every front end follow."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.schedule import Pause
from renewaltracker.domain.subscription import Status, StatusChange, Subscription
from tests.factories import make_subscription

DAY = date(2026, 3, 10)


def in_status(status: Status) -> Subscription:
    extra: dict[str, object] = {
        Status.ACTIVE: {},
        Status.TRIAL: {"trial_end": date(2026, 4, 1)},
        Status.PAUSED: {"pauses": (Pause(date(2026, 3, 1)),)},
        Status.CANCELLED: {"cancelled_on": date(2026, 3, 1)},
    }[status]
    return make_subscription(status=status, **extra)


def transition(subscription: Subscription, change: StatusChange) -> Subscription:
    if change is StatusChange.PAUSE:
        return subscription.pause(DAY)
    if change is StatusChange.RESUME:
        return subscription.resume(DAY)
    return subscription.cancel(DAY)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (Status.ACTIVE, {StatusChange.PAUSE, StatusChange.CANCEL}),
        (Status.TRIAL, {StatusChange.PAUSE, StatusChange.CANCEL}),
        (Status.PAUSED, {StatusChange.RESUME, StatusChange.CANCEL}),
        (Status.CANCELLED, {StatusChange.RESUME}),
    ],
)
def test_allowed_changes_per_status(status: Status, allowed: set[StatusChange]) -> None:
    assert in_status(status).allowed_changes() == allowed


@given(st.sampled_from(Status), st.sampled_from(StatusChange), st.booleans())
def test_a_transition_succeeds_exactly_when_the_rule_allows_it(
    status: Status, change: StatusChange, open_pause: bool
) -> None:
    subscription = in_status(status)
    if open_pause and status is not Status.PAUSED:  # e.g. cancelled while paused: the pause stays open
        subscription = make_subscription(
            status=status,
            pauses=(Pause(date(2026, 2, 1)),),
            cancelled_on=subscription.cancelled_on,
            trial_end=subscription.trial_end,
        )
    reason = subscription.refusal(change)
    if reason is None:
        transition(subscription, change)
    else:
        with pytest.raises(ValidationError) as raised:
            transition(subscription, change)
        assert raised.value.field == "status" and raised.value.problem == reason


def test_refusals_say_why() -> None:
    assert in_status(Status.CANCELLED).refusal(StatusChange.CANCEL) == (
        "is already cancelled (resume undoes a cancellation)"
    )
    assert in_status(Status.PAUSED).refusal(StatusChange.PAUSE) == "is already paused"
    assert in_status(Status.ACTIVE).refusal(StatusChange.RESUME) == "is neither paused nor cancelled"
