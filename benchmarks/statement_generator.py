"""Realistic generated bank statements with the subscriptions hidden in them, for the detection benchmark."""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from renewaltracker.domain.interval import Interval, Unit
from renewaltracker.domain.statement import BankTransaction, normalize_payee

MERCHANTS = [
    ("NETFLIX.COM 866-579-7172 CA", Decimal("15.49"), "USD"),
    ("SPOTIFY P{ref} STOCKHOLM SE", Decimal("10.99"), "EUR"),
    ("PAYPAL *DISNEYPLUS {ref}", Decimal("8.99"), "EUR"),
    ("APPLE.COM/BILL ITUNES.COM IE", Decimal("2.99"), "EUR"),
    ("AMAZON PRIME*{ref} AMZN.CO.UK", Decimal("8.99"), "GBP"),
    ("ADOBE *CREATIVE CLOUD {ref}", Decimal("59.99"), "USD"),
    ("GYM GROUP MEMBERSHIP {ref}", Decimal("24.99"), "GBP"),
    ("DROPBOX*{ref} DROPBOX.COM", Decimal("11.99"), "USD"),
    ("SQ *NEWS WEEKLY {ref}", Decimal("4.50"), "USD"),
    ("VODAFONE GMBH KD {ref}", Decimal("39.99"), "EUR"),
    ("GITHUB.COM {ref} SAN FRANCISCO CA", Decimal("4.00"), "USD"),
    ("NYTIMES DIGITAL {ref}", Decimal("17.00"), "USD"),
    ("AUDIBLE UK {ref} LONDON GB", Decimal("7.99"), "GBP"),
    ("DUOLINGO PLUS {ref}", Decimal("83.99"), "EUR"),
    ("1PASSWORD {ref} TORONTO CA", Decimal("35.88"), "USD"),
    ("ALLIANZ VERSICHERUNG {ref}", Decimal("112.40"), "EUR"),
    ("STROM STADTWERKE ABSCHLAG {ref}", Decimal("68.00"), "EUR"),
    ("PATREON* MEMBERSHIP {ref}", Decimal("5.00"), "USD"),
    ("NINTENDO SWITCH ONLINE {ref}", Decimal("19.99"), "EUR"),
    ("ZEIT ONLINE ABO {ref}", Decimal("16.80"), "EUR"),
    ("MEAL KIT BOX {ref}", Decimal("59.00"), "GBP"),
    ("ICLOUD STORAGE {ref}", Decimal("0.99"), "USD"),
]
SHOPS = [
    "TESCO STORES {ref}",
    "REWE MARKT {ref}",
    "LIDL SAGT DANKE",
    "EDEKA CENTER {ref}",
    "SHELL {ref}",
    "STARBUCKS {ref}",
    "AMAZON MKTPLACE {ref}",
    "UBER *TRIP {ref}",
    "DM DROGERIE {ref}",
    "IKEA {ref}",
    "H&M {ref}",
    "DB VERTRIEB {ref}",
    "ALDI SUED {ref}",
    "PRET A MANGER {ref}",
]
# Intervals the generator uses, with how often each is drawn.
PLANS = [
    (Interval(1, Unit.MONTH), 10),
    (Interval(1, Unit.YEAR), 3),
    (Interval(1, Unit.WEEK), 1),
    (Interval(2, Unit.WEEK), 1),
    (Interval(4, Unit.WEEK), 1),
    (Interval(3, Unit.MONTH), 2),
    (Interval(6, Unit.MONTH), 1),
]
MINIMUM = {
    (1, Unit.WEEK): 4,
    (2, Unit.WEEK): 3,
    (4, Unit.WEEK): 3,
    (1, Unit.MONTH): 3,
    (3, Unit.MONTH): 3,
    (6, Unit.MONTH): 2,
    (1, Unit.YEAR): 2,
}


@dataclass(frozen=True)
class Truth:
    """A subscription hidden in a statement: the descriptor it is charged under and its cycle."""

    descriptor: str
    key: str
    interval: Interval
    charges: int


def _ref(rng: random.Random) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(8)) + str(rng.randint(1, 9))


def _banking_day(day: date) -> date:
    """A charge due on a weekend is booked on the Monday; a few also slip a day for a holiday."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _add_months(day: date, months: int, target: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(target, calendar.monthrange(year, month + 1)[1]))


def statement(seed: int) -> tuple[list[BankTransaction], list[Truth]]:
    """One account's 12–24 months: subscriptions among groceries, salary, transfers, refunds and one-offs."""
    rng = random.Random(seed)
    start = date(2023, 1, 1) + timedelta(days=rng.randint(0, 365))
    end = _add_months(start, rng.randint(12, 24), start.day)
    transactions: list[BankTransaction] = []
    truths: list[Truth] = []

    def add(day: date, amount: Decimal, currency: str, payee: str, kind: str = "") -> None:
        if start <= day <= end:
            payee = payee.format(ref=_ref(rng))
            reference = f"{seed}-{len(transactions)}"
            transactions.append(BankTransaction(day, amount, currency, payee, reference, kind=kind))

    merchants = rng.sample(MERCHANTS, rng.randint(4, 10))
    for descriptor, price, currency in merchants:
        interval = rng.choices([p for p, _ in PLANS], [w for _, w in PLANS])[0]
        first = start + timedelta(days=rng.randint(-30, 200))
        last_day = interval.months > 0 and rng.random() < 0.15
        target = 31 if last_day else first.day
        stop = end if rng.random() < 0.75 else first + timedelta(days=rng.randint(60, 500))  # cancelled
        amount = price * (12 if interval.unit is Unit.YEAR else 1)
        raised = rng.random() < 0.25
        varies = currency != "EUR" and rng.random() < 0.5  # billed in a foreign currency: rates move
        count = 0
        index = 0
        while True:
            due = (
                _add_months(first, index * interval.months, target)
                if interval.months
                else first + timedelta(days=index * interval.days)
            )
            if due > stop or due > end:
                break
            booked = _banking_day(due + timedelta(days=1 if rng.random() < 0.05 else 0))
            charged = amount
            if raised and index >= 3:
                charged = (amount * Decimal("1.2")).quantize(Decimal("0.01"))
            if varies:
                charged = (charged * Decimal(str(rng.uniform(0.96, 1.04)))).quantize(Decimal("0.01"))
            if booked >= start:
                add(booked, -charged, currency if not varies else "EUR", descriptor, "debit")
                count += 1
            index += 1
        key_interval = (interval.count, interval.unit)
        if count >= MINIMUM[key_interval]:
            truths.append(Truth(descriptor, normalize_payee(descriptor.format(ref=_ref(rng))), interval, count))
    # Noise: groceries, the same shops at irregular times, salary, transfers, refunds, one-off purchases.
    day = start
    shops = rng.sample(SHOPS, 6)
    while day <= end:
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            shop = rng.choice(shops)
            amount = Decimal(str(round(rng.lognormvariate(3, 0.8), 2)))
            add(day, -amount, "EUR", shop, "card")
        if day.day == 25:
            add(_banking_day(day), Decimal("3150.00"), "EUR", "ACME GMBH GEHALT", "credit")
        if day.day == 1:
            add(day, Decimal("-500.00"), "EUR", "STANDING ORDER TO SAVINGS 12345678", "transfer")
            add(day, Decimal("-950.00"), "EUR", "DAUERAUFTRAG MIETE HAUSVERWALTUNG", "transfer")
        if rng.random() < 0.02:
            add(day, Decimal(str(rng.randint(20, 900))) * -1, "EUR", f"ONE OFF SHOP {rng.randint(1, 999)}", "card")
        if rng.random() < 0.01:
            add(day, Decimal(str(rng.randint(5, 80))), "EUR", rng.choice(shops), "credit")  # refund
        day += timedelta(days=1)
    rng.shuffle(transactions)
    return transactions, truths
