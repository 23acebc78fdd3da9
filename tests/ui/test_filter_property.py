"""The search box and filters show exactly the rows that match, for any mix of words, statuses and categories."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication

from renewaltracker.domain.subscription import Status, Subscription
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.subscription_model import SubscriptionFilter, SubscriptionRecord, SubscriptionTableModel
from tests.factories import make_subscription

TODAY = date(2026, 3, 10)
WORDS = ["Netflix", "gym", "Cloud", "news", "Adobe", "box", "ñandú", "ÉCOLE"]


@st.composite
def subscriptions(draw: st.DrawFn) -> Subscription:
    status = draw(st.sampled_from([Status.ACTIVE, Status.CANCELLED]))
    return make_subscription(
        name=" ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))),
        vendor=draw(st.sampled_from(["", *WORDS])),
        category=draw(st.sampled_from(["", "Streaming", "Health"])),
        status=status,
        cancelled_on=date(2026, 2, 1) if status is Status.CANCELLED else None,
    )


@given(
    st.lists(subscriptions(), max_size=12),
    st.lists(st.sampled_from([w[:3] for w in WORDS] + [w.upper() for w in WORDS]), max_size=2),
    st.sampled_from([None, Status.ACTIVE, Status.CANCELLED]),
    st.sampled_from([None, "Streaming", "Health"]),
)
def test_filter_matches_the_rule(
    qapp: QApplication, subs: list[Subscription], words: list[str], status: Status | None, category: str | None
) -> None:
    model = SubscriptionTableModel(service=None, formatter=Formatter("en_US"))  # type: ignore[arg-type]
    model.set_records([SubscriptionRecord.of(s, TODAY) for s in subs])
    proxy = SubscriptionFilter()
    proxy.setSourceModel(model)
    proxy.set_search(" ".join(words))
    proxy.set_status(status)
    proxy.set_category(category)
    shown = sorted(proxy.mapToSource(proxy.index(row, 0)).row() for row in range(proxy.rowCount()))

    def matches(s: Subscription) -> bool:
        text = f"{s.name} {s.vendor} {s.category}".casefold()
        return (
            (status is None or s.status is status)
            and (category is None or s.category == category)
            and all(word.casefold() in text for word in words)
        )

    assert shown == [row for row, s in enumerate(subs) if matches(s)]
