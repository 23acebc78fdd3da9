"""Exchange rates the user entered or imported, and money converted with them (Decimal, target's minor units)."""

from __future__ import annotations

import csv
import io
import zipfile
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from renewaltracker.domain.costs import is_running, yearly_cost
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.money import normalize_currency, quantize
from renewaltracker.domain.prices import PriceHistories, amount_on
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import _

# The ECB publishes rates against the euro; every other pair is crossed through it.
ECB_BASE = "EUR"
ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
_MAX_RATE = Decimal("1e9")


@dataclass(frozen=True, slots=True)
class Rate:
    """One unit of `base` is worth `rate` units of `quote` on `day`."""

    base: str
    quote: str
    day: date
    rate: Decimal
    source: str = "manual"

    def __post_init__(self) -> None:
        base, quote = normalize_currency(self.base, "from"), normalize_currency(self.quote, "to")
        if base == quote:
            raise ValidationError("rate", _("{base} to {base} is always 1").format(base=base))
        try:
            rate = Decimal(str(self.rate).strip().replace(",", "."))
        except InvalidOperation:
            raise ValidationError("rate", _("{rate!r} is not a number such as 1.08").format(rate=self.rate)) from None
        if not rate.is_finite() or rate <= 0 or rate > _MAX_RATE:
            raise ValidationError("rate", _("{rate} is not a positive exchange rate").format(rate=self.rate))
        object.__setattr__(self, "base", base)
        object.__setattr__(self, "quote", quote)
        object.__setattr__(self, "rate", rate)


@dataclass(frozen=True, slots=True)
class Converted:
    """An amount in the target currency and the date of the (oldest) rate used for it."""

    amount: Decimal
    currency: str
    rate_day: date | None  # None when no conversion was needed


def _freshness(day: date, on: date) -> tuple[int, int]:
    """Orders rate dates by how well they stand for `on`: any day on or before it beats a later one, the newest
    of those first; of the later ones (used only before the first known rate), the nearest."""
    return (1, day.toordinal()) if day <= on else (0, -day.toordinal())


class RateTable:
    """Looks up the newest rate on or before a day, directly, inverted, or crossed through the euro."""

    def __init__(self, rates: Iterable[Rate]) -> None:
        self._pairs: dict[tuple[str, str], list[tuple[date, Decimal]]] = defaultdict(list)
        for r in rates:
            self._pairs[(r.base, r.quote)].append((r.day, r.rate))
            self._pairs[(r.quote, r.base)].append((r.day, 1 / r.rate))
        for series in self._pairs.values():
            series.sort()

    def __bool__(self) -> bool:
        return bool(self._pairs)

    def _direct(self, base: str, quote: str, on: date) -> tuple[Decimal, date] | None:
        series = self._pairs.get((base, quote))
        if not series:
            return None
        index = bisect_right(series, (on, Decimal("Infinity")))
        # Before the first known rate, the oldest one is still the best estimate there is.
        day, rate = series[index - 1] if index else series[0]
        return rate, day

    def rate(self, base: str, quote: str, on: date) -> tuple[Decimal, date] | None:
        """(rate, its date) for one unit of base in quote, or None when no path is known: the freshest of the
        direct rate and those crossed through another currency, so that every process picks the same one."""
        if base == quote:
            return Decimal(1), on
        best: tuple[tuple[int, int], Decimal, date] | None = None
        direct = self._direct(base, quote, on)
        if direct is not None:
            best = (_freshness(direct[1], on), *direct)
        # The euro first (the ECB quotes every rate against it), then the others in a fixed order: on equal
        # freshness the first path found stays, so a tie never depends on a set's order.
        others = sorted({b for b, q in self._pairs if q == base} - {base, quote, ECB_BASE})
        for via in (ECB_BASE, *others):
            first, second = self._direct(base, via, on), self._direct(via, quote, on)
            if first is None or second is None:
                continue
            # A path is as fresh as its older leg, and reports that leg's date.
            leg = min((first[1], second[1]), key=lambda day: _freshness(day, on))
            if best is None or _freshness(leg, on) > best[0]:
                best = (_freshness(leg, on), first[0] * second[0], leg)
        return None if best is None else (best[1], best[2])

    def convert(self, amount: Decimal, currency: str, target: str, on: date) -> Converted | None:
        """`amount` in `target`, rounded to its minor units; None when no rate is known."""
        if currency == target:
            return Converted(quantize(amount, target), target, None)
        found = self.rate(currency, target, on)
        if found is None:
            return None
        return Converted(quantize(amount * found[0], target), target, found[1])

    def total(self, amounts: Mapping[str, Decimal], target: str, on: date) -> tuple[Converted, list[str]]:
        """The sum of per-currency amounts in `target`, the oldest rate date used, and currencies without a rate."""
        total = Decimal(0)
        oldest: date | None = None
        missing: list[str] = []
        for currency, amount in amounts.items():
            converted = self.convert(amount, currency, target, on)
            if converted is None:
                missing.append(currency)
                continue
            total += converted.amount
            if converted.rate_day is not None:
                oldest = converted.rate_day if oldest is None else min(oldest, converted.rate_day)
        return Converted(quantize(total, target), target, oldest), missing


def nothing_converted(amounts: Mapping[str, Decimal], missing: Iterable[str]) -> bool:
    """True when no amount had a rate into the target: the zero `RateTable.total` gives would read as a real
    total, so only the missing rates are named."""
    return bool(amounts) and set(amounts) <= set(missing)


@dataclass(frozen=True, slots=True)
class ChartsIn:
    """Chart figures in one currency from the currencies that have a rate into it; the others are left out and
    named. `months` is None when none of them has one: there is nothing to draw, not a year of zeros."""

    months: list[Decimal] | None
    categories: dict[str, Decimal]
    left_out: list[str]


def charts_in(
    months: list[dict[str, Decimal]],
    by_category: Mapping[str, Mapping[str, Decimal]],
    table: RateTable,
    target: str,
    on: date,
) -> ChartsIn:
    """Per-month and per-category amounts converted into `target`; a category of left-out currencies only has no
    figure (a zero would read as "costs nothing")."""
    codes = {code for month in months for code in month} | {code for per in by_category.values() for code in per}
    left_out = sorted(code for code in codes if table.rate(code, target, on) is None)
    if codes and len(left_out) == len(codes):
        return ChartsIn(None, {}, left_out)

    def known(amounts: Mapping[str, Decimal]) -> dict[str, Decimal]:
        return {code: amount for code, amount in amounts.items() if code not in left_out}

    return ChartsIn(
        [table.total(known(month), target, on)[0].amount for month in months],
        {name: table.total(known(per), target, on)[0].amount for name, per in by_category.items() if known(per)},
        left_out,
    )


@dataclass(frozen=True, slots=True)
class RankedIn:
    """A running subscription's yearly cost in its own currency and in the home currency."""

    subscription: Subscription
    per_year: Decimal
    converted: Converted | None


def most_expensive_in(
    subscriptions: Iterable[Subscription],
    today: date,
    table: RateTable,
    home: str,
    limit: int = 5,
    prices: PriceHistories | None = None,
) -> list[RankedIn]:
    """The costliest running subscriptions across currencies, compared in `home`; ones without a rate go last."""
    ranked = []
    for s in subscriptions:
        if is_running(s, today):
            per_year = quantize(yearly_cost(s, price=amount_on(s, today, prices)), s.currency)
            ranked.append(RankedIn(s, per_year, table.convert(per_year, s.currency, home, today)))
    ranked.sort(
        key=lambda r: (r.converted is None, -(r.converted.amount if r.converted else r.per_year), r.subscription.name)
    )
    return ranked[:limit]


def _ecb_xml(data: bytes) -> list[Rate]:
    root = ElementTree.fromstring(data)
    rates = []
    for cube in root.iter():
        if cube.tag.endswith("Cube") and "time" in cube.attrib:
            day = date.fromisoformat(cube.attrib["time"])
            for child in cube:
                if "currency" in child.attrib and "rate" in child.attrib:
                    rates.append(Rate(ECB_BASE, child.attrib["currency"], day, Decimal(child.attrib["rate"]), "ecb"))
    return rates


# The daily CSV writes its day in English ("09 March 2026"). strptime's %B would read the month in the C library's
# language, which the window sets from the desktop: German or French there.
_ECB_MONTH_NAMES = "january february march april may june july august september october november december"
_ECB_MONTHS = {name: number for number, name in enumerate(_ECB_MONTH_NAMES.split(), start=1)}


def _ecb_day(text: str) -> date:
    """A day as the ECB's CSV files write it: ISO (the history) or '09 March 2026' (the daily file)."""
    if text[:4].isdigit():
        return date.fromisoformat(text)
    day, month, year = text.split()
    return date(int(year), _ECB_MONTHS[month.casefold()], int(day))


def _ecb_csv(text: str) -> list[Rate]:
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text)) if row]
    header, rates = rows[0], []
    for row in rows[1:]:
        day = _ecb_day(row[0])
        for code, cell in zip(header[1:], row[1:], strict=False):
            if code and cell and cell != "N/A":
                rates.append(Rate(ECB_BASE, code, day, Decimal(cell), "ecb"))
    return rates


def parse_ecb(data: bytes) -> list[Rate]:
    """Rates from the ECB's euro reference file: eurofxref-daily.xml (or -hist.xml), or a .zip of its CSV."""
    try:
        if data[:2] == b"PK":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                name = next(n for n in archive.namelist() if n.lower().endswith((".csv", ".xml")))
                inner = archive.read(name)
            return _ecb_csv(inner.decode("utf-8-sig")) if name.lower().endswith(".csv") else _ecb_xml(inner)
        return _ecb_xml(data)
    except (
        ElementTree.ParseError,
        zipfile.BadZipFile,
        StopIteration,
        ValueError,
        LookupError,
        ArithmeticError,
    ) as error:
        if isinstance(error, ValidationError):
            raise
        raise ValidationError(
            "file", _("is not the ECB's euro reference rates file ({error})").format(error=error)
        ) from None
