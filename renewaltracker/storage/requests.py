"""Repositories for requests to vendors and for a plan's price steps."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from renewaltracker.domain.errors import NotFoundError
from renewaltracker.domain.prices import PriceStep
from renewaltracker.domain.requests import Outcome, Request, RequestKind, RequestState
from renewaltracker.domain.schedule import check_date
from renewaltracker.i18n import _
from renewaltracker.storage.models import ChargeRow, PriceRow, RequestRow, SubscriptionRow
from renewaltracker.storage.subscription_rows import steps_by_subscription


def _to_domain(row: RequestRow) -> Request:
    return Request(
        id=row.id,
        subscription_id=row.subscription_id,
        kind=RequestKind(row.kind),
        opened_on=row.opened_on,
        currency=row.currency,
        charge_id=row.charge_id,
        amount=row.amount,
        state=RequestState(row.state),
        outcome=Outcome(row.outcome) if row.outcome else None,
        recovered=row.recovered,
        resolved_on=row.resolved_on,
    )


class RequestRepository:
    """Requests within one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _copy_into(self, row: RequestRow, request: Request) -> None:
        check_date(request.opened_on, "date")
        check_date(request.resolved_on, "date")
        if self.session.get(SubscriptionRow, request.subscription_id) is None:
            raise NotFoundError(
                _("no subscription with id {subscription_id}").format(subscription_id=request.subscription_id)
            )
        if request.charge_id is not None:
            charge = self.session.get(ChargeRow, request.charge_id)
            if charge is None or charge.subscription_id != request.subscription_id:
                raise NotFoundError(
                    _("no charge with id {charge_id} for subscription {subscription_id}").format(
                        charge_id=request.charge_id, subscription_id=request.subscription_id
                    )
                )
        row.subscription_id = request.subscription_id
        row.kind = request.kind.value
        row.opened_on = request.opened_on
        row.currency = request.currency
        row.charge_id = request.charge_id
        row.amount = request.amount
        row.state = request.state.value
        row.outcome = request.outcome.value if request.outcome else None
        row.recovered = request.recovered
        row.resolved_on = request.resolved_on

    def add(self, request: Request) -> Request:
        row = RequestRow(id=request.id)
        self._copy_into(row, request)
        self.session.add(row)
        self.session.flush()
        return _to_domain(row)

    def get(self, request_id: int) -> Request:
        row = self.session.get(RequestRow, request_id)
        if row is None:
            raise NotFoundError(_("no request with id {request_id}").format(request_id=request_id))
        return _to_domain(row)

    def update(self, request: Request) -> Request:
        if request.id is None:
            raise ValueError("cannot update a request that was never saved")
        row = self.session.get(RequestRow, request.id)
        if row is None:
            raise NotFoundError(_("no request with id {request_id}").format(request_id=request.id))
        self._copy_into(row, request)
        self.session.flush()
        return _to_domain(row)

    def all(self, subscription_id: int | None = None) -> list[Request]:
        query = select(RequestRow).order_by(RequestRow.opened_on, RequestRow.id)
        if subscription_id is not None:
            query = query.where(RequestRow.subscription_id == subscription_id)
        return [_to_domain(row) for row in self.session.scalars(query)]


class PriceRepository:
    """A plan's price steps, oldest first."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def for_subscription(self, subscription_id: int) -> list[PriceStep]:
        rows = self.session.scalars(
            select(PriceRow).where(PriceRow.subscription_id == subscription_id).order_by(PriceRow.effective)
        )
        return [PriceStep(row.effective, row.amount) for row in rows]

    def all(self) -> dict[int, list[PriceStep]]:
        columns = select(PriceRow.subscription_id, PriceRow.effective, PriceRow.amount).order_by(PriceRow.effective)
        return steps_by_subscription(self.session.execute(columns))

    def set(self, subscription_id: int, step: PriceStep) -> None:
        """Add the step, replacing one already on that date."""
        check_date(step.effective, "date")
        self.session.execute(
            delete(PriceRow).where(PriceRow.subscription_id == subscription_id, PriceRow.effective == step.effective)
        )
        self.session.add(PriceRow(subscription_id=subscription_id, effective=step.effective, amount=step.amount))
        self.session.flush()

    def remove(self, subscription_id: int, effective: date) -> None:
        self.session.execute(
            delete(PriceRow).where(PriceRow.subscription_id == subscription_id, PriceRow.effective == effective)
        )
        self.session.flush()
