"""The household: members, who pays for and who uses each subscription, costs per member, and duplicates."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from renewaltracker.domain.costs import is_charging, is_running, yearly_figure
from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.money import minor_units, quantize
from renewaltracker.domain.prices import PriceHistories
from renewaltracker.domain.subscription import Subscription, single_line
from renewaltracker.i18n import _

# Plan and company words that do not change which service it is: "Spotify Family" and "Spotify Premium
# Individual" are both Spotify; "Netflix, Inc." is Netflix.
_NOISE_WORDS = frozenset(
    {
        *("family", "individual", "single", "duo", "student", "premium", "plus", "basic", "standard", "pro"),
        *("plan", "membership", "subscription", "account", "monthly", "annual", "yearly", "trial", "personal"),
        *("household", "kids", "inc", "ltd", "llc", "gmbh", "co", "corp", "limited", "sarl", "bv", "ab", "the"),
    }
)
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class Member:
    """A person in the household, by a name unique within it."""

    name: str
    id: int | None = None

    def __post_init__(self) -> None:
        name = single_line(self.name or "", "name")
        if not name:
            raise ValidationError("name", _("is required"))
        if len(name) > 100:
            raise ValidationError("name", _("is longer than 100 characters"))
        object.__setattr__(self, "name", name)


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who pays for a subscription and who uses it (member ids)."""

    payer_id: int | None = None
    user_ids: tuple[int, ...] = ()


def member_names(assignment: Assignment, members: list[Member]) -> tuple[str, tuple[str, ...]]:
    """The payer's and users' names for display ("" and () for nobody)."""
    by_id = {m.id: m.name for m in members}
    return by_id.get(assignment.payer_id, ""), tuple(by_id[i] for i in assignment.user_ids if i in by_id)


def service_key(text: str) -> str:
    """A name or vendor reduced to the service it names: accents, case, punctuation and plan words dropped."""
    # Only the accents go, not every letter outside ASCII: a Cyrillic or Greek name keeps its key ("ß" is "ss").
    plain = "".join(c for c in unicodedata.normalize("NFKD", (text or "").casefold()) if not unicodedata.combining(c))
    return " ".join(word for word in _WORD.findall(plain) if word not in _NOISE_WORDS)


def duplicates(subscriptions: Iterable[Subscription], today: date) -> list[list[Subscription]]:
    """Groups of two or more subscriptions charging today to one service (by normalised name, or name against
    vendor); one cancelled or paused is not doubled."""
    running = [s for s in subscriptions if is_charging(s, today)]
    parent = list(range(len(running)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Same service by name ("Spotify Family", "Spotify Individual"), or a name that is another one's vendor
    # ("Netflix" and "Films" billed by Netflix). Two different names from one vendor are not flagged: Apple,
    # Google and Amazon each sell many services.
    first_with: dict[str, int] = {}
    for index, s in enumerate(running):
        key = service_key(s.name)
        if key in first_with:
            parent[root(index)] = root(first_with[key])
        elif key:
            first_with[key] = index
    for index, s in enumerate(running):
        vendor = service_key(s.vendor)
        if vendor in first_with and vendor != service_key(s.name):
            parent[root(index)] = root(first_with[vendor])
    groups: dict[int, list[Subscription]] = defaultdict(list)
    for index, s in enumerate(running):
        groups[root(index)].append(s)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: service_key(g[0].name))


@dataclass(slots=True)
class MemberCosts:
    """One member's yearly figures per currency: what they pay for, and their share of what they use."""

    member: Member
    pays: dict[str, Decimal] = field(default_factory=dict)
    uses: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class HouseholdCosts:
    """Per-member figures and the household total, in which a plan shared by several members counts once."""

    members: list[MemberCosts]
    total: dict[str, Decimal]
    unassigned: dict[str, Decimal]


def split_evenly(amount: Decimal, parts: int, currency: str) -> list[Decimal]:
    """`amount` in `parts` shares of whole minor units that add up to it exactly: equal, and the units left over
    one each to the first shares (10.00 in three: 3.34, 3.33, 3.33)."""
    places = minor_units(currency)
    each, left = divmod(int(quantize(amount, currency).scaleb(places)), parts)
    return [Decimal(each + (1 if index < left else 0)).scaleb(-places) for index in range(parts)]


def household_costs(
    subscriptions: Iterable[Subscription],
    members: Iterable[Member],
    assignments: Mapping[int, Assignment],
    today: date,
    prices: PriceHistories | None = None,
) -> HouseholdCosts:
    """Yearly costs (each subscription's share for this household, rounded per subscription) by payer and by user;
    the payers' figures and the unassigned add up to the total, and each plan's users' shares to its cost."""
    by_id = {m.id: MemberCosts(m) for m in members}
    total: dict[str, Decimal] = defaultdict(Decimal)
    unassigned: dict[str, Decimal] = defaultdict(Decimal)
    for s in subscriptions:
        if s.id is None or not is_running(s, today):
            continue
        yearly = yearly_figure(s, today, prices)
        total[s.currency] += yearly
        assignment = assignments.get(s.id, Assignment())
        payer = by_id.get(assignment.payer_id)
        if payer is not None:
            payer.pays[s.currency] = payer.pays.get(s.currency, Decimal(0)) + yearly
        else:
            unassigned[s.currency] += yearly
        users = [by_id[i] for i in assignment.user_ids if i in by_id]
        for user, share in zip(users, split_evenly(yearly, len(users), s.currency) if users else [], strict=True):
            user.uses[s.currency] = user.uses.get(s.currency, Decimal(0)) + share

    def rounded(amounts: Mapping[str, Decimal]) -> dict[str, Decimal]:
        # Sums of whole minor units already: quantizing changes no value, only writes the currency's decimals.
        return {currency: quantize(amount, currency) for currency, amount in sorted(amounts.items())}

    for costs in by_id.values():
        costs.pays, costs.uses = rounded(costs.pays), rounded(costs.uses)
    return HouseholdCosts(list(by_id.values()), rounded(total), rounded(unassigned))
