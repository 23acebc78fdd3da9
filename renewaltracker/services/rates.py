"""Exchange-rate use cases: rates the user enters, imports from the ECB's file, or (only when asked) fetches."""

from __future__ import annotations

import logging
import urllib.request
from datetime import date
from decimal import Decimal
from pathlib import Path

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.exchange import ECB_DAILY_URL, Converted, Rate, RateTable, parse_ecb
from renewaltracker.i18n import _
from renewaltracker.services.subscriptions import Change, SubscriptionService
from renewaltracker.storage.rates import RateRepository

log = logging.getLogger(__name__)
# The daily file is ~2 kB and the full history zip ~600 kB; anything far larger is not the ECB's file.
_MAX_BYTES = 20 * 1024 * 1024


class RateService:
    """Rates are stored in the database; every change tells the views so converted totals refresh."""

    def __init__(self, subscriptions: SubscriptionService) -> None:
        self.subscriptions = subscriptions

    def home_currency(self) -> str:
        home: str = self.subscriptions.setting("home_currency")
        return home

    def rates(self) -> list[Rate]:
        with self.subscriptions.transaction() as session:
            return RateRepository(session).all()

    def table(self) -> RateTable:
        return RateTable(self.rates())

    def set_rate(self, base: str, quote: str, rate: Decimal | str, day: date | None = None) -> Rate:
        entered = Rate(base, quote, day or self.subscriptions.clock.today(), Decimal(str(rate).replace(",", ".")))
        return self._store([entered])[0]

    def import_file(self, path: Path) -> list[Rate]:
        """Import the ECB's eurofxref-daily.xml, eurofxref-hist.xml or eurofxref.zip the user downloaded."""
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ValidationError(
                "file", _("cannot read {path}: {strerror}").format(path=path, strerror=error.strerror or error)
            ) from None
        return self._store(parse_ecb(data))

    def fetch(self, url: str = ECB_DAILY_URL, timeout: float = 20.0) -> list[Rate]:
        """Download the ECB's daily file: the only network access here, and only when the user asks for it."""
        if not url.lower().startswith(("https://", "http://")):
            raise ValidationError("url", _("{url!r} is not a web address").format(url=url))
        log.info("fetching exchange rates from %s", url)
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                data = response.read(_MAX_BYTES + 1)
        except OSError as error:
            raise ValidationError(
                "fetch", _("could not download the rates from {url}: {error}").format(url=url, error=error)
            ) from None
        if len(data) > _MAX_BYTES:
            raise ValidationError("fetch", _("the answer is far larger than the ECB's rates file"))
        return self._store(parse_ecb(data))

    def _store(self, rates: list[Rate]) -> list[Rate]:
        if not rates:
            raise ValidationError("file", _("holds no exchange rates"))
        with self.subscriptions.transaction() as session:
            RateRepository(session).put(rates)
        self.subscriptions.notify(Change.SETTINGS, None)
        return rates

    def convert(self, amount: Decimal, currency: str, on: date | None = None) -> Converted | None:
        home = self.home_currency()
        if not home:
            return None
        return self.table().convert(amount, currency, home, on or self.subscriptions.clock.today())
