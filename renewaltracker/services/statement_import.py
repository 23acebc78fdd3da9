"""Statement import: read a bank file, offer the recurring charges found, write what the user accepts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from renewaltracker.domain.drafts import format_money
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.recurring import (
    AMOUNT_TOLERANCE,
    Candidate,
    detect_recurring,
    dismissal_of,
    dismissed_plans,
)
from renewaltracker.domain.statement import (
    BankTransaction,
    RecordedCharge,
    charge_key,
    normalize_payee,
    unrecorded,
)
from renewaltracker.domain.subscription import Charge, Status, Subscription
from renewaltracker.i18n import _, current_language, ngettext
from renewaltracker.services.import_guard import check_unchanged
from renewaltracker.services.statement_csv import CsvMapping, header_signature, sniff
from renewaltracker.services.statement_files import Statement, StatementFormat, detect_format, read_statement
from renewaltracker.services.subscriptions import Change, SubscriptionService
from renewaltracker.storage.repositories import ChargeRepository, SubscriptionRepository
from renewaltracker.storage.statements import StatementRepository

SOURCE = "statement"


@dataclass(frozen=True)
class Match:
    """Transactions that belong to a subscription already tracked; `price_change` when the price moved."""

    subscription_id: int
    name: str
    transactions: tuple[BankTransaction, ...]
    price_change: tuple[Decimal, Decimal] | None = None
    changed_on: date | None = None  # the first charge at the new price
    seen: Subscription | None = field(default=None, compare=False, repr=False)  # as the review read it


@dataclass(frozen=True)
class PriceChanged:
    """A tracked subscription whose price the statement moved, recorded in its price history from `on`."""

    subscription_id: int
    name: str
    old: Decimal
    new: Decimal
    currency: str
    on: date

    @property
    def is_increase(self) -> bool:
        return self.new > self.old


@dataclass
class Review:
    """What a statement offers: new candidates to accept, edit or dismiss, and matches to tracked ones."""

    statement: Statement
    candidates: list[Candidate]
    matched: list[Match]
    dismissed: int = 0


@dataclass
class ImportResult:
    added: list[int] = field(default_factory=list)
    charges: int = 0
    skipped: int = 0
    price_changes: list[str] = field(default_factory=list)
    changed: list[PriceChanged] = field(default_factory=list)


class StatementImporter:
    """Read, review and import statements; the database is written only by `apply`."""

    def __init__(self, service: SubscriptionService) -> None:
        self.service = service

    def read(
        self,
        data: bytes,
        source: str,
        format: StatementFormat | None = None,
        columns: dict[str, str] | None = None,
        date_format: str | None = None,
        decimal_comma: bool | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Statement:
        """Read a file; a CSV uses the mapping saved for its bank, corrected by the given overrides."""
        kind = format or detect_format(data)
        mapping: CsvMapping | None = None
        if kind is StatementFormat.CSV:
            mapping = self.mapping_for(data, source)
            if columns or date_format or decimal_comma is not None:
                mapping = mapping.with_overrides(columns, date_format, decimal_comma)
        return read_statement(data, source, kind, mapping, progress=progress)

    def mapping_for(self, data: bytes, source: str = "file") -> CsvMapping:
        """The saved mapping of this bank's CSV when its header is known, else the detected one."""
        try:
            preview = sniff(data, self._currency())
        except ValidationError as error:
            raise ValidationError(source, error.problem) from None
        with self.service.transaction() as session:
            saved = StatementRepository(session).mapping(preview.mapping.signature)
        return CsvMapping.from_json(saved) if saved else preview.mapping

    def _currency(self) -> str:
        currency: str = self.service.setting("default_currency")
        return currency

    def review(self, statement: Statement, as_of: date | None = None) -> Review:
        """Candidates not dismissed before and not already tracked; matches carry only transactions not yet stored."""
        found = detect_recurring(statement.transactions, as_of)
        with self.service.transaction() as session:
            dismissed = StatementRepository(session).dismissed()
            subscriptions = SubscriptionRepository(session).all()
            recorded = StatementRepository(session).recorded_charges()
        keys = _subscription_keys(subscriptions)
        pairs = _pair_tracked(keys, found)
        untracked = [index for index in range(len(found)) if index not in pairs]
        hidden = {untracked[i] for i in dismissed_plans([found[index] for index in untracked], dismissed)}
        candidates: list[Candidate] = []
        matched: list[Match] = []
        skipped = 0
        for index, candidate in enumerate(found):
            existing = pairs.get(index)
            if existing is not None:
                assert existing.id is not None
                fresh = tuple(unrecorded(candidate.transactions, recorded.get(existing.id, [])))
                change = None
                changed_on = None
                if abs(candidate.amount - existing.amount) > existing.amount * AMOUNT_TOLERANCE:
                    change = (existing.amount, candidate.amount)
                    changed_on = _first_at(candidate.transactions, candidate.amount)
                if fresh or change:
                    matched.append(Match(existing.id, existing.name, fresh, change, changed_on, existing))
            elif index in hidden:
                skipped += 1
            else:
                tracked = {s.id for s in _existing(keys, candidate) if s.id is not None}
                if tracked:
                    candidate = _beyond_recorded(candidate, tracked, found, pairs, recorded)
                if candidate.transactions:
                    candidates.append(candidate)
        return Review(statement, candidates, matched, skipped)

    def apply(self, review: Review, accepted: Sequence[Candidate], dismissed: Sequence[Candidate] = ()) -> ImportResult:
        """One transaction: accepted candidates become subscriptions with their charges, matches extend histories."""
        result = ImportResult()
        with self.service.transaction() as session:
            subscriptions = SubscriptionRepository(session)
            charges = ChargeRepository(session)
            memory = StatementRepository(session)
            # Checked first: a new subscription added below may take the id of one deleted since the review.
            for match in review.matched:
                if match.seen is not None:
                    # A price the review compared must still be the stored one; charges need the subscription only.
                    check_unchanged(session, match.seen, same_revision=match.price_change is not None)
            recorded = memory.recorded_charges()
            if review.statement.mapping is not None:
                mapping = review.statement.mapping
                memory.save_mapping(mapping.signature or header_signature([]), mapping.to_json())
            for candidate in dismissed:
                memory.dismiss(dismissal_of(candidate))
            for candidate in accepted:
                saved = subscriptions.add(subscription_from(candidate), self.service.clock.now())
                assert saved.id is not None
                result.added.append(saved.id)
                result.charges += _add_charges(charges, saved.id, candidate.transactions, recorded, candidate)
            for match in review.matched:
                note = ""
                if match.price_change:
                    old, new = match.price_change
                    note = _price_note(old, new, match.transactions[0].currency if match.transactions else "")
                    result.price_changes.append(f"{match.name}: {old} → {new}")
                    on = match.changed_on or self.service.clock.today()
                    # The price history is what the price-increase letter reads its old and new price from.
                    saved = self.service.change_price_in(session, match.subscription_id, new, on)
                    change = PriceChanged(match.subscription_id, match.name, old, new, saved.currency, on)
                    result.changed.append(change)
                added = _add_charges(charges, match.subscription_id, match.transactions, recorded, None, note)
                result.charges += added
                result.skipped += len(match.transactions) - added
        for subscription_id in result.added:
            self.service.notify(Change.ADDED, subscription_id)
        if review.matched:
            self.service.notify(Change.CHARGES, None)
        for changed in result.changed:
            self.service.notify(Change.UPDATED, changed.subscription_id)
        return result


def _first_at(transactions: tuple[BankTransaction, ...], amount: Decimal) -> date:
    """The date of the first charge of the latest run at about `amount` (the new price)."""
    first = transactions[-1].date
    for transaction in reversed(transactions):
        if abs(abs(transaction.amount) - amount) > amount * AMOUNT_TOLERANCE:
            break
        first = transaction.date
    return first


def subscription_from(candidate: Candidate) -> Subscription:
    """The subscription an accepted candidate describes; one that stopped charging is saved as cancelled."""
    anchor = candidate.anchor or candidate.transactions[0].date
    last = candidate.transactions[-1].date
    return Subscription(
        name=candidate.name,
        vendor=candidate.vendor,
        amount=candidate.amount,
        currency=candidate.currency,
        interval=candidate.interval,
        anchor=anchor,
        status=Status.CANCELLED if candidate.ended else Status.ACTIVE,
        cancelled_on=last + timedelta(days=1) if candidate.ended else None,
        # Written into the user's data, in the language the user reads the app in at the time.
        notes=ngettext(
            "Found in a bank statement ({count} charge, payee {payee}).",
            "Found in a bank statement ({count} charges, payee {payee}).",
            len(candidate.transactions),
        ).format(count=len(candidate.transactions), payee=candidate.key),
    )


def _price_note(old: Decimal, new: Decimal, currency: str) -> str:
    """The note on the first charge at a new price, in the interface language with its way of writing amounts."""
    language = current_language()
    if not currency:
        return _("price change: {old} → {new}").format(old=old, new=new)
    return _("price change: {old} → {new}").format(
        old=format_money(old, currency, language), new=format_money(new, currency, language)
    )


def _subscription_keys(subscriptions: list[Subscription]) -> dict[tuple[str, str], list[Subscription]]:
    keys: dict[tuple[str, str], list[Subscription]] = {}
    for subscription in subscriptions:
        for key in dict.fromkeys(normalize_payee(text) for text in (subscription.vendor, subscription.name)):
            if key:
                keys.setdefault((key, subscription.currency), []).append(subscription)
    return keys


def _beyond_recorded(
    candidate: Candidate,
    tracked: set[int],
    found: list[Candidate],
    pairs: dict[int, Subscription],
    recorded: dict[int, list[RecordedCharge]],
) -> Candidate:
    """A new plan of a payee already tracked, with only the charges no plan of that payee has recorded yet: a copy an
    earlier, shorter statement filed as a double charge of the tracked plan is not recorded a second time here."""
    left = [charge for sid in sorted(tracked) for charge in recorded.get(sid, [])]
    for index, subscription in pairs.items():
        if subscription.id not in tracked:
            continue
        # The records the tracked plan's own candidate finds already stand for its transactions, not for this one's.
        own = found[index].transactions
        fresh = Counter(charge_key(t.date, t.amount) for t in unrecorded(own, recorded.get(subscription.id or 0, [])))
        for transaction in own:
            key = charge_key(transaction.date, transaction.amount)
            if fresh[key] > 0:
                fresh[key] -= 1
                continue
            same = next((i for i, charge in enumerate(left) if charge_key(charge.date, charge.amount) == key), None)
            if same is not None:
                del left[same]
    return replace(candidate, transactions=tuple(unrecorded(candidate.transactions, left)))


def _pair_tracked(keys: dict[tuple[str, str], list[Subscription]], found: list[Candidate]) -> dict[int, Subscription]:
    """Each candidate's tracked subscription, one each: two plans of one payee (two prices, two household members)
    are two subscriptions, and one at its price is taken before one whose price changed."""
    pairs: dict[int, Subscription] = {}
    used: set[int | None] = set()
    for same_price in (True, False):
        for index, candidate in enumerate(found):
            if index in pairs:
                continue
            tracked = [s for s in _existing(keys, candidate) if s.id not in used]
            if same_price:
                tracked = [s for s in tracked if abs(candidate.amount - s.amount) <= s.amount * AMOUNT_TOLERANCE]
            if tracked:
                pairs[index] = min(tracked, key=lambda s: abs(candidate.amount - s.amount))
                used.add(pairs[index].id)
    return pairs


def _existing(keys: dict[tuple[str, str], list[Subscription]], candidate: Candidate) -> list[Subscription]:
    """The tracked subscriptions with this payee; "Netflix" matches "NETFLIX.COM" by its first word."""
    exact = keys.get((candidate.key, candidate.currency))
    return exact or keys.get((candidate.key.split(".")[0].split(" ")[0], candidate.currency), [])


def _add_charges(
    charges: ChargeRepository,
    subscription_id: int,
    transactions: tuple[BankTransaction, ...],
    recorded: dict[int, list[RecordedCharge]],
    candidate: Candidate | None,
    note: str = "",
) -> int:
    """Add the transactions not yet in the plan's history (each copy of a double charge counts) and remember them."""
    changes = {change.on: change for change in candidate.price_changes} if candidate else {}
    history = recorded.setdefault(subscription_id, [])
    added = 0
    for transaction in unrecorded(transactions, history):
        change = changes.get(transaction.date)
        charge_note = _price_note(change.old, change.new, transaction.currency) if change else note
        charge = charges.add(
            Charge(
                subscription_id=subscription_id,
                date=transaction.date,
                amount=abs(transaction.amount),
                currency=transaction.currency,
                reference=transaction.reference[:200],
                source=SOURCE,
                note=charge_note,
            )
        )
        history.append(RecordedCharge(charge.date, charge.amount, charge.reference))
        added += 1
        note = ""
    return added
