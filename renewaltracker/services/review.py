"""The periodic review's use cases: what to review, "used it today", finishing a review, its reminder event."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from renewaltracker.domain.events import Event
from renewaltracker.domain.review import ReviewItem, next_review, review_items
from renewaltracker.domain.subscription import Subscription
from renewaltracker.domain.unused import check_used_on
from renewaltracker.services.reminder_store import review_events
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.repositories import SettingsRepository, SubscriptionRepository


class ReviewService:
    """Reads and changes through the subscription service, so every view hears of a change."""

    def __init__(self, subscriptions: SubscriptionService) -> None:
        self.subscriptions = subscriptions

    def items(self) -> list[ReviewItem]:
        service = self.subscriptions
        return review_items(service.all(), service.clock.today(), service.price_histories())

    def mark_used(self, subscription_id: int, day: date | None = None) -> Subscription:
        """Record a use (today unless `day` is given); a later use is never overwritten by an earlier one."""
        today = self.subscriptions.clock.today()
        day = day or today
        check_used_on(day, today)

        def used(current: Subscription) -> Subscription:
            # Applied to the stored state (re-read if another process wrote meanwhile): a later use always stays.
            return (
                current
                if current.last_used is not None and current.last_used > day
                else replace(current, last_used=day)
            )

        return self.subscriptions.modify(subscription_id, used)

    def next_review(self) -> date | None:
        # The oldest subscription's date alone, not every subscription read and validated: every reminder check
        # asks this.
        with self.subscriptions.transaction() as session:
            first = SubscriptionRepository(session).first_created()
            settings = SettingsRepository(session)
            months: int = settings.get("review_months")
            last: date | None = settings.get("last_review")
        return next_review(months, last, first.date() if first is not None else None)

    def finish(self, day: date | None = None) -> date | None:
        """Record the review as done (today by default); returns when the next one falls due."""
        day = day or self.subscriptions.clock.today()
        self.subscriptions.set_setting("last_review", day.isoformat())
        return self.next_review()

    def review_events(self, start: date, end: date) -> list[Event]:
        """The next review as a reminder event when it falls within [start, end]: the reminder log then
        delivers it exactly once, like any other reminder."""
        due = self.next_review()
        if due is None or not start <= due <= end:
            return []
        currency: str = self.subscriptions.setting("home_currency") or self.subscriptions.setting("default_currency")
        return review_events(due, currency, start, end)  # as the command line's plain store makes them
