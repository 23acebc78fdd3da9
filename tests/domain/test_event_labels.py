"""Every kind of event has one name, symbol and alarm phrase, defined in the domain."""

from __future__ import annotations

import pytest

from renewaltracker.domain.events import EVENT_LABELS, EventKind, event_label, event_title


def test_every_event_kind_has_a_label() -> None:
    assert set(EVENT_LABELS) == set(EventKind)
    for label in EVENT_LABELS.values():
        assert label.noun and label.symbol and label.soon
        assert label.noun == label.noun.strip() and label.noun[0].isupper()


def test_labels_tell_the_kinds_apart() -> None:
    for part in ("noun", "symbol", "soon"):
        values = [getattr(label, part) for label in EVENT_LABELS.values()]
        assert len(set(values)) == len(values), part


@pytest.mark.parametrize(
    ("kind", "title"),
    [(EventKind.CANCEL_BY, "Cancel by: Netflix"), (EventKind.TRIAL_END, "Trial ends: Netflix")],
)
def test_titles_name_the_kind_then_the_subscription(kind: EventKind, title: str) -> None:
    assert event_title(kind, "Netflix") == title
    assert event_label(kind) == title.split(":")[0]
