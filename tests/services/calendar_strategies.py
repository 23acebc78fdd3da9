"""Hypothesis strategies for subscriptions with every kind of schedule the app supports."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.schedule import Pause, month_length
from renewaltracker.domain.subscription import Status, Subscription

END_OF_MONTH_ANCHORS = st.sampled_from(
    [date(2024, 2, 29), date(2023, 1, 31), date(2024, 1, 30), date(2023, 3, 29), date(2025, 5, 31), date(2024, 8, 31)]
)


NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(
    lambda text: bool(text.strip())
)


@st.composite
def anchors(draw: st.DrawFn) -> date:
    """Half the anchors on the 28th to 31st (29 February included), where clipping happens."""
    if draw(st.booleans()):
        return draw(END_OF_MONTH_ANCHORS)
    if draw(st.booleans()):
        year, month = draw(st.integers(2020, 2027)), draw(st.integers(1, 12))
        return date(year, month, min(draw(st.integers(28, 31)), month_length(year, month)))
    return draw(st.dates(date(2020, 1, 1), date(2027, 12, 31)))


@st.composite
def subscriptions(draw: st.DrawFn, with_id: int | None = 1) -> Subscription:
    unit = draw(st.sampled_from([Unit.MONTH, Unit.MONTH, Unit.MONTH, Unit.YEAR, Unit.YEAR, Unit.DAY, Unit.WEEK]))
    count = draw(st.sampled_from([1, 1, 2, 3, 6, 12] if unit is Unit.MONTH else [1, 1, 2, 4]))
    anchor = draw(anchors())
    end_date = draw(st.none() | st.none() | st.dates(anchor, anchor + timedelta(days=1500)))
    end_count = draw(st.none() | st.none() | st.integers(1, 40))
    pauses: list[Pause] = []
    if draw(st.booleans()):
        start = anchor + timedelta(days=draw(st.integers(0, 900)))
        pauses.append(Pause(start, start + timedelta(days=draw(st.integers(1, 400)))))
    status = Status.ACTIVE
    cancelled_on = None
    choice = draw(st.sampled_from(["active", "active", "cancelled", "paused"]))
    if choice == "cancelled":
        status = Status.CANCELLED
        cancelled_on = anchor + timedelta(days=draw(st.integers(0, 1500)))
    elif choice == "paused":
        status = Status.PAUSED
        last = max((p.end for p in pauses if p.end), default=anchor)
        pauses.append(Pause(last + timedelta(days=draw(st.integers(0, 700)))))
    return Subscription(
        id=with_id,
        name=draw(NAMES),
        amount=Decimal(draw(st.integers(0, 99999))) / 100,
        currency=draw(st.sampled_from(["USD", "EUR", "JPY", "GBP"])),
        interval=Interval(count, unit),
        anchor=anchor,
        keep_clipped_day=draw(st.booleans()),
        end_date=end_date,
        end_count=end_count,
        status=status,
        cancelled_on=cancelled_on,
        pauses=tuple(pauses),
        notice_days=draw(st.none() | st.integers(1, 40)),
        reminder_days=draw(st.none() | st.lists(st.integers(0, 30), max_size=3).map(tuple)),
        trial_end=draw(st.none() | st.dates(anchor - timedelta(days=60), anchor)),
        cancel_url=draw(st.sampled_from(["", "https://example.com/cancel?a=1&b=2"])),
        notes=draw(st.text(max_size=200)),
        payment_method=draw(st.sampled_from(["", "Visa 4242"])),
    )
