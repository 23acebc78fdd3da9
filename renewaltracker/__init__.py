"""Renewal Tracker: a local-first calendar of automatic renewals, with reminders and refund drafts."""

__version__ = "0.1.0"
APP_NAME = "Renewal Tracker"
APP_ID = "renewaltracker"
