from __future__ import annotations

from datetime import date
from decimal import Decimal

from renewaltracker.domain.history import open_refund_window, price_changes, unrecorded_charges
from renewaltracker.domain.subscription import Charge, ChargeStatus
from tests.factories import make_subscription

TODAY = date(2026, 3, 10)


def charge(day: date, amount: str, status: ChargeStatus = ChargeStatus.CHARGED) -> Charge:
    return Charge(1, day, Decimal(amount), "USD", status=status)


def test_price_changes_compare_with_the_last_charge_actually_made() -> None:
    rows = price_changes(
        [
            charge(date(2026, 2, 1), "15.49"),
            charge(date(2025, 12, 1), "13.99"),
            charge(date(2026, 1, 1), "0.00", ChargeStatus.NOT_CHARGED),
        ]
    )
    assert [(r.charge.date, r.difference) for r in rows] == [
        (date(2025, 12, 1), None),
        (date(2026, 1, 1), None),
        (date(2026, 2, 1), Decimal("1.50")),
    ]


def test_unrecorded_charges_start_after_the_last_recorded_one() -> None:
    subscription = make_subscription(anchor=date(2025, 11, 5))
    assert unrecorded_charges(subscription, [], TODAY) == [
        date(2026, 3, 5),
        date(2026, 2, 5),
        date(2026, 1, 5),
        date(2025, 12, 5),
        date(2025, 11, 5),
    ]
    recorded = [charge(date(2026, 1, 5), "39.99")]
    assert unrecorded_charges(subscription, recorded, TODAY) == [date(2026, 3, 5), date(2026, 2, 5)]
    recorded.append(charge(date(2026, 3, 5), "39.99"))
    assert unrecorded_charges(subscription, recorded, TODAY) == []


def test_open_refund_window_names_the_charge_and_the_last_day() -> None:
    subscription = make_subscription(anchor=date(2026, 1, 5), refund_days=14)
    assert open_refund_window(subscription, TODAY) == (date(2026, 3, 5), date(2026, 3, 19))
    assert open_refund_window(subscription, date(2026, 3, 20)) is None
    assert open_refund_window(make_subscription(anchor=date(2026, 1, 5)), TODAY) is None
