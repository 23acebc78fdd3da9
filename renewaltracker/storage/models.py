"""The ORM tables. Schema changes go through a new Alembic migration, never create_all."""

from __future__ import annotations

from datetime import date, datetime
from datetime import date as _date
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from renewaltracker.storage.types import DecimalText, UTCDateTime


class Base(DeclarativeBase):
    pass


class SubscriptionRow(Base):
    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    vendor: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    currency: Mapped[str] = mapped_column(String(3))
    interval_count: Mapped[int] = mapped_column(Integer)
    interval_unit: Mapped[str] = mapped_column(String(10))
    anchor: Mapped[date | None] = mapped_column(Date)
    keep_clipped_day: Mapped[bool] = mapped_column(Boolean, default=False)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_count: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    trial_end: Mapped[date | None] = mapped_column(Date)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    notice_days: Mapped[int | None] = mapped_column(Integer)
    refund_days: Mapped[int | None] = mapped_column(Integer)
    reminder_days: Mapped[str | None] = mapped_column(String(100))
    payment_method: Mapped[str] = mapped_column(String(100), default="")
    account: Mapped[str] = mapped_column(String(200), default="")
    order_number: Mapped[str] = mapped_column(String(100), default="")
    purchase_date: Mapped[date | None] = mapped_column(Date)
    support_email: Mapped[str] = mapped_column(String(200), default="")
    cancel_url: Mapped[str] = mapped_column(String(500), default="")
    postal_address: Mapped[str] = mapped_column(String(500), default="")
    channel: Mapped[str] = mapped_column(String(20), default="other")
    letter_language: Mapped[str] = mapped_column(String(5), default="")
    last_used: Mapped[date | None] = mapped_column(Date)
    tags: Mapped[str] = mapped_column(Text, default="")
    payer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    split_between: Mapped[int | None] = mapped_column(Integer)
    fixed_share: Mapped[Decimal | None] = mapped_column(DecimalText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revision: Mapped[int] = mapped_column(Integer, default=0)

    pauses: Mapped[list[PauseRow]] = relationship(
        back_populates="subscription", cascade="all, delete-orphan", order_by="PauseRow.start", lazy="selectin"
    )
    charges: Mapped[list[ChargeRow]] = relationship(
        back_populates="subscription", cascade="all, delete-orphan", order_by="ChargeRow.date"
    )


class PauseRow(Base):
    __tablename__ = "pauses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)

    subscription: Mapped[SubscriptionRow] = relationship(back_populates="pauses")


class ChargeRow(Base):
    __tablename__ = "charges"
    __table_args__ = (Index("ix_charges_subscription_date", "subscription_id", "date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(DecimalText)
    currency: Mapped[str] = mapped_column(String(3))
    reference: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(20), default="manual")
    status: Mapped[str] = mapped_column(String(20), default="charged")
    note: Mapped[str] = mapped_column(Text, default="")
    refunded_amount: Mapped[Decimal | None] = mapped_column(DecimalText)
    refunded_on: Mapped[_date | None] = mapped_column(Date)

    subscription: Mapped[SubscriptionRow] = relationship(back_populates="charges")


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class _ReminderKeyColumns:
    """The columns of a ReminderKey: subscription, event kind, event date and lead days."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    event_date: Mapped[date] = mapped_column(Date)
    lead_days: Mapped[int] = mapped_column(Integer)


class DeliveredReminderRow(_ReminderKeyColumns, Base):
    """A reminder claimed for delivery; the unique key is what makes delivery happen at most once."""

    __tablename__ = "delivered_reminders"
    __table_args__ = (
        UniqueConstraint("subscription_id", "kind", "event_date", "lead_days", name="uq_delivered_reminders_key"),
    )

    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReminderSnoozeRow(_ReminderKeyColumns, Base):
    """A delivered reminder to show again at `until`; `delivered_at` is set by whoever shows it."""

    __tablename__ = "reminder_snoozes"
    __table_args__ = (
        UniqueConstraint("subscription_id", "kind", "event_date", "lead_days", name="uq_reminder_snoozes_key"),
    )

    until: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ContactRow(Base):
    """One support contact about a subscription; deleted with it."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_subscription_at", "subscription_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(20))
    case_number: Mapped[str] = mapped_column(String(200), default="")
    agent: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[date | None] = mapped_column(Date, index=True)
    # Kept when the request goes: the contact still happened.
    request_id: Mapped[int | None] = mapped_column(ForeignKey("requests.id", ondelete="SET NULL"), index=True)
    promised: Mapped[str] = mapped_column(Text, default="")
    promised_by: Mapped[date | None] = mapped_column(Date)


class RequestRow(Base):
    """One request to a vendor (cancel, refund, stop payment, dispute, price); deleted with its subscription."""

    __tablename__ = "requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    opened_on: Mapped[date] = mapped_column(Date)
    currency: Mapped[str] = mapped_column(String(3))
    # A deleted charge leaves the request standing, about no charge in particular.
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("charges.id", ondelete="SET NULL"))
    amount: Mapped[Decimal | None] = mapped_column(DecimalText)
    state: Mapped[str] = mapped_column(String(20))
    outcome: Mapped[str | None] = mapped_column(String(20))
    recovered: Mapped[Decimal | None] = mapped_column(DecimalText)
    resolved_on: Mapped[date | None] = mapped_column(Date)


class PriceRow(Base):
    """A plan's price from an effective date on; the subscription's amount is the price before the first step."""

    __tablename__ = "prices"
    __table_args__ = (UniqueConstraint("subscription_id", "effective", name="uq_prices_subscription_effective"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"))
    effective: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(DecimalText)


class CalendarLinkRow(Base):
    """The calendar key a subscription came with from an imported file, so its UIDs never change."""

    __tablename__ = "calendar_links"

    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)


class CalDAVSyncedRow(Base):
    """An event this app put on a CalDAV calendar: only these are ever updated or deleted there."""

    __tablename__ = "caldav_synced"

    calendar_url: Mapped[str] = mapped_column(String(1000), primary_key=True)
    uid: Mapped[str] = mapped_column(String(500), primary_key=True)
    href: Mapped[str] = mapped_column(String(1000))
    etag: Mapped[str] = mapped_column(String(200), default="")
    digest: Mapped[str] = mapped_column(String(64))


class BankMappingRow(Base):
    """How one bank's CSV is read, keyed by its header's signature."""

    __tablename__ = "bank_mappings"

    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    mapping: Mapped[str] = mapped_column(Text)


class DismissedCandidateRow(Base):
    """A recurring charge the user said is not a subscription: not offered again. One row per plan dismissed;
    a row without amount, cycle and anchor (from before 0011) stands for every plan of the payee."""

    __tablename__ = "dismissed_candidates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[Decimal | None] = mapped_column(DecimalText)
    interval_count: Mapped[int | None] = mapped_column(Integer)
    interval_unit: Mapped[str | None] = mapped_column(String(10))
    anchor: Mapped[date | None] = mapped_column(Date)


class MemberRow(Base):
    """A person in the household; a subscription names who pays for it and who uses it."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)


class SubscriptionUserRow(Base):
    """Who uses a subscription: one row per member, gone with either side."""

    __tablename__ = "subscription_users"

    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), primary_key=True)


class ExchangeRateRow(Base):
    """One unit of `base` costs `rate` units of `quote` on `day`; the user entered it or imported it."""

    __tablename__ = "exchange_rates"
    __table_args__ = (UniqueConstraint("base", "quote", "day", name="uq_exchange_rates_pair_day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    day: Mapped[date] = mapped_column(Date)
    rate: Mapped[Decimal] = mapped_column(DecimalText)
    source: Mapped[str] = mapped_column(String(20), default="manual")


class AttachmentRow(Base):
    """A file (receipt, invoice, contract) copied into the data folder, for a subscription or one of its charges."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("charges.id", ondelete="CASCADE"))
    stored_name: Mapped[str] = mapped_column(String(300), unique=True)
    original_name: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
