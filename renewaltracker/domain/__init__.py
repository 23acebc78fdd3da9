"""Pure-Python core: subscriptions, schedules, money and events. No Qt, no SQLAlchemy."""
