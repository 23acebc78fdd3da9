"""Installs the periodic review, the household view, exchange rates and attachments into the main window."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from renewaltracker.domain.exchange import Converted, Rate, nothing_converted
from renewaltracker.domain.household import HouseholdCosts, MemberCosts
from renewaltracker.domain.review import UNUSED_DAYS, Decision, ReviewItem
from renewaltracker.domain.subscription import Subscription
from renewaltracker.i18n import N_, _
from renewaltracker.services.attachments import AttachmentService
from renewaltracker.services.household import HouseholdService
from renewaltracker.services.rates import RateService
from renewaltracker.services.review import ReviewService
from renewaltracker.storage.errors import StorageError
from renewaltracker.ui.background import LatestOnly
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.formatting import converted_text
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.plain_text import inform, plain_label, warn
from renewaltracker.ui.screen_fit import FittedDialog
from renewaltracker.ui.spending_view import SpendingView
from renewaltracker.ui.subscription_model import UNUSED_COLOUR
from renewaltracker.ui.table_model import Column, RecordTableModel, none_last
from renewaltracker.ui.widgets import ask_date, ask_text, saving_buttons, table_view

log = logging.getLogger(__name__)


# -- the review ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ReviewRow:
    item: ReviewItem
    home: Converted | None


class ReviewDialog(FittedDialog):
    """Each running subscription with its yearly cost and last use; a decision leads to the letter or the editor."""

    def __init__(self, feature: HouseholdFeature) -> None:
        super().__init__(feature.window)
        self.feature = feature
        self.setWindowTitle(_("Review your subscriptions"))
        f = feature.window.formatter
        columns: list[Column[ReviewRow]] = [
            Column(N_("Subscription"), lambda r: ("⚠ " if r.item.unused else "") + r.item.subscription.name),
            Column(
                N_("Per year"),
                lambda r: f.money(r.item.yearly, r.item.subscription.currency),
                numeric=True,
                sort_key=lambda r: (r.item.subscription.currency, r.item.yearly),
            ),
            Column(
                N_("In home currency"),
                lambda r: converted_text(f, r.home),
                numeric=True,
                sort_key=lambda r: none_last(r.home.amount if r.home else None),
            ),
            Column(
                N_("Last used"),
                lambda r: f.date(r.item.subscription.last_used) if r.item.subscription.last_used else _("not recorded"),
                sort_key=lambda r: none_last(r.item.days_unused),
                foreground=lambda r: UNUSED_COLOUR if r.item.unused else None,
            ),
        ]
        self.model: RecordTableModel[ReviewRow] = RecordTableModel(
            columns, id_of=lambda r: r.item.subscription.id, parent=self
        )
        self.table = table_view(self.model, _("Subscriptions to review"), self, stretch="subscription")
        intro = QLabel(
            _(
                "For each subscription: did you use it lately? ⚠ marks those not used for {UNUSED_DAYS} days. Then "
                "keep it, cancel it (opens the cancellation letter) or downgrade it (opens the editor)."
            ).format(UNUSED_DAYS=UNUSED_DAYS),
            self,
        )
        intro.setWordWrap(True)
        used_today = QPushButton(_("&Used it today"), self)
        used_on = QPushButton(_("Used &on…"), self)
        buttons = {decision: QPushButton(decision.label, self) for decision in Decision}
        used_today.clicked.connect(lambda: self._mark_used(None))
        used_on.clicked.connect(self._ask_used_on)
        for decision, button in buttons.items():
            button.clicked.connect(lambda _checked=False, d=decision: self.decide(d))
        self.buttons = buttons
        row = QHBoxLayout()
        for button in (used_today, used_on, *buttons.values()):
            row.addWidget(button)
        row.addStretch(1)
        finish = QDialogButtonBox(self)
        finished = finish.addButton(_("&Finish review"), QDialogButtonBox.ButtonRole.AcceptRole)
        finish.addButton(QDialogButtonBox.StandardButton.Close)
        # Keep writes nothing and Cancel opens the letter; the others write, or open the editor, which does.
        feature.window.writes.hold([used_today, used_on, buttons[Decision.DOWNGRADE], finished])
        finish.accepted.connect(self.finish)
        finish.rejected.connect(self.reject)
        self.next_label = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.next_label)
        layout.addWidget(finish)
        self.resize(760, 420)
        feature.window.context.signals.changed.connect(self.reload)
        self.reload()

    def reload(self, *args: object) -> None:
        rates = self.feature.rates
        home, table, today = rates.home_currency(), rates.table(), self.feature.window.context.clock.today()
        rows = [
            ReviewRow(i, table.convert(i.yearly, i.subscription.currency, home, today) if home else None)
            for i in self.feature.review.items()
        ]
        selected = self.selected_id()
        self.model.set_records(rows)
        self.table.setColumnHidden(self.model.column("in_home_currency"), not home)
        if selected is not None and (row := self.model.row_of_id(selected)) is not None:
            self.table.selectRow(row)
        upcoming = self.feature.review.next_review()
        self.next_label.setText(
            _("Next review: {date}").format(date=self.feature.window.formatter.date(upcoming)) if upcoming else ""
        )

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.record(rows[0].row()).item.subscription.id if rows else None

    def _mark_used(self, day: date | None) -> None:
        sid = self.selected_id()
        if sid is not None:
            try:
                self.feature.review.mark_used(sid, day)
            except ValueError as error:  # a day still to come
                warn(self, _("Last used"), error_text(error))

    def _ask_used_on(self) -> None:
        today = self.feature.window.context.clock.today()
        day = ask_date(
            self, _("Last used"), _("When did you last use it?"), today, self.feature.window.formatter.locale
        )
        if day is not None:
            self._mark_used(day)

    def decide(self, decision: Decision) -> None:
        """Keep: nothing to do. Cancel: the cancellation letter. Downgrade: the editor, to change plan and price."""
        sid = self.selected_id()
        if sid is None or decision is Decision.KEEP:
            return
        if decision is Decision.CANCEL:
            self.feature.open_cancel_letter(sid)
        else:
            self.feature.window.commands.edit_id(sid)

    def finish(self) -> None:
        self.feature.review.finish()
        self.accept()


# -- the household -----------------------------------------------------------------------------------------------
class HouseholdFigures(NamedTuple):
    """What the household tab shows, read and worked out on its worker thread."""

    costs: HouseholdCosts
    home: str
    converted: tuple[Converted, list[str]] | None  # the total in the home currency, and rates missing
    duplicates: list[list[Subscription]]


class HouseholdView(QWidget):
    """Members with what each pays and uses, the household total (a shared plan once), and duplicates."""

    def __init__(self, feature: HouseholdFeature) -> None:
        super().__init__(feature.window)
        self.feature = feature
        f = feature.window.formatter

        def amounts(values: Mapping[str, Decimal]) -> str:
            return ", ".join(f.money(v, c) for c, v in values.items())

        columns: list[Column[MemberCosts]] = [
            Column(N_("Member"), lambda c: c.member.name),
            Column(N_("Pays per year"), lambda c: amounts(c.pays), numeric=True),
            Column(N_("Uses per year (their share)"), lambda c: amounts(c.uses), numeric=True),
        ]
        self.model: RecordTableModel[MemberCosts] = RecordTableModel(columns, parent=self)
        self.table = table_view(self.model, _("Household members"), self, stretch="member")
        # In the table's place while there is nobody in it: how the first member gets there.
        self.empty = QLabel(
            _("No members yet. Add the people who pay for or use your subscriptions with the Add member button below."),
            self,
        )
        self.empty.setWordWrap(True)
        self.empty.hide()
        add = QPushButton(_("&Add member…"), self)
        remove = QPushButton(_("Re&move member"), self)
        add.clicked.connect(self.add_member)
        remove.clicked.connect(self.remove_member)
        # Only with a member chosen: over an empty list or no selection a click did nothing.
        remove.setEnabled(False)

        def follow(*_rows: object) -> None:
            remove.setEnabled(self.table.selectionModel().hasSelection())

        self.table.selectionModel().selectionChanged.connect(follow)
        self.model.modelReset.connect(follow)
        feature.window.writes.hold([add, remove])
        self.total = QLabel(self)
        self.total.setWordWrap(True)
        self.duplicates = QLabel(self)
        self.duplicates.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        # The menu entry without its "…", as the other texts name menu entries: "…." ended the sentence twice.
        intro = _(
            "To set who pays for a subscription and who uses it, select it and choose Subscription → Household: "
            "who pays, who uses."
        )
        intro_label = plain_label(self, intro)
        intro_label.setWordWrap(True)  # one line of it set the window's least width past a 1024-pixel screen
        layout.addWidget(intro_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.total)
        layout.addWidget(self.duplicates)
        # Read when first shown and when a change arrives while shown: a hidden tab reads nothing at start-up.
        self._stale = True
        # Two reads of every subscription take most of 0.5 s at a thousand: never on the GUI thread.
        self.background = LatestOnly(self)
        feature.window.context.signals.changed.connect(self._data_changed)

    def _data_changed(self, *args: object) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.reload()
        super().showEvent(event)

    def reload(self, *args: object) -> None:
        """Work the figures out on the worker thread (two reads of every subscription); shown when they are back."""
        self._stale = False
        household, rates, clock = self.feature.household, self.feature.rates, self.feature.window.context.clock

        def work() -> HouseholdFigures:
            costs = household.costs()
            home = rates.home_currency()
            converted = rates.table().total(costs.total, home, clock.today()) if home and costs.total else None
            return HouseholdFigures(costs, home, converted, household.duplicates())

        self.background.submit(work, self._show)

    def _show(self, figures: HouseholdFigures) -> None:
        f = self.feature.window.formatter
        costs = figures.costs
        self.model.set_records(costs.members)
        self.table.setVisible(bool(costs.members))
        self.empty.setVisible(not costs.members)
        total = ", ".join(f.money(v, c) for c, v in costs.total.items()) or _("nothing")
        lines = [
            _("<b>Household total per year:</b> {total} (a plan shared by several members counts once)").format(
                total=total
            )
        ]
        if figures.converted is not None:
            converted, missing = figures.converted
            lacking = _("no rate for {currencies}").format(currencies=", ".join(missing))
            if nothing_converted(costs.total, missing):
                shown = lacking
            else:
                shown = converted_text(f, converted) + (" — " + lacking if missing else "")
            lines.append(_("In {home}: {converted}").format(home=figures.home, converted=shown))
        if costs.unassigned:
            lines.append(
                _("Paid by nobody in particular: {amounts}").format(
                    amounts=", ".join(f.money(v, c) for c, v in costs.unassigned.items())
                )
            )
        self.total.setText("<br>".join(lines))
        groups = figures.duplicates
        self.duplicates.setText(
            _("<b>Possible duplicates:</b><br>")
            + "<br>".join(html.escape(_(" and ").join(s.name for s in g), quote=False) for g in groups)
            if groups
            else _("No duplicate subscriptions.")
        )

    def add_member(self) -> None:
        name, ok = ask_text(self, _("Add member"), _("Name:"), self.feature.window.writes.hold)
        if ok and name.strip():
            try:
                self.feature.household.add_member(name)
            except ValueError as error:
                warn(self, _("Add member"), error_text(error))

    def remove_member(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            try:
                self.feature.household.remove_member(self.model.record(rows[0].row()).member.name)
            except (LookupError, StorageError) as error:  # removed elsewhere meanwhile; the file busy
                warn(self, _("Remove member"), error_text(error))


class AssignDialog(FittedDialog):
    """Who pays for the selected subscription and who uses it."""

    def __init__(self, feature: HouseholdFeature, subscription_id: int) -> None:
        from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout

        super().__init__(feature.window)
        self.feature, self.subscription_id = feature, subscription_id
        self.setWindowTitle(_("Household"))
        members = feature.household.members()
        current = feature.household.assignment(subscription_id)
        self.payer = QComboBox(self)
        self.payer.setAccessibleName(_("Paid by"))
        self.payer.addItem(_("nobody in particular"), "")
        for m in members:
            self.payer.addItem(m.name, m.name)
            if m.id == current.payer_id:
                self.payer.setCurrentIndex(self.payer.count() - 1)
        self.users = {m.name: QCheckBox(m.name, self) for m in members}
        for m in members:
            self.users[m.name].setChecked(m.id in current.user_ids)
        form = QFormLayout(self)
        form.addRow(_("Paid &by"), self.payer)
        for box in self.users.values():
            form.addRow(_("Used by") if box is next(iter(self.users.values())) else "", box)
        if not members:
            form.addRow(QLabel(_("Add members in View → Household first."), self))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> None:
        users = [name for name, box in self.users.items() if box.isChecked()]
        try:
            self.feature.household.assign(self.subscription_id, self.payer.currentData(), users)
        except (LookupError, StorageError) as error:  # a member or the plan deleted elsewhere; the file busy
            warn(self, _("Household"), error_text(error))
            return
        self.accept()


# -- exchange rates off the GUI thread -----------------------------------------------------------------------------
class _FetchSignals(QObject):
    done = Signal(object)  # list[Rate]
    failed = Signal(str)


class _FetchRates(QRunnable):
    def __init__(self, rates: RateService, signals: _FetchSignals) -> None:
        super().__init__()
        self.rates, self.signals = rates, signals

    def run(self) -> None:
        try:
            self.signals.done.emit(self.rates.fetch())
        except (ValueError, StorageError) as error:  # a bad answer; the file busy or replaced while saving
            self.signals.failed.emit(error_text(error))


@dataclass
class HouseholdFeature:
    window: MainWindow
    review: ReviewService
    household: HouseholdService
    rates: RateService
    open_cancel_letter: Callable[[int], object]
    view: HouseholdView | None = None
    review_dialog: ReviewDialog | None = None

    def open_review(self) -> ReviewDialog:
        if self.review_dialog is None:
            self.review_dialog = ReviewDialog(self)
        self.review_dialog.reload()
        self.review_dialog.show()
        self.review_dialog.raise_()
        return self.review_dialog

    def assign_selected(self) -> AssignDialog | None:
        sid = self.window.selected_subscription_id()
        if sid is None:
            inform(self.window, _("Household"), _("Select a subscription first."))
            return None
        dialog = AssignDialog(self, sid)
        self.window.writes.hold(saving_buttons(dialog))  # the file may become read only while it is open
        dialog.open()
        return dialog

    def attach_file(self, path: str | None = None) -> None:
        sid = self.window.selected_subscription_id()
        if sid is None:
            inform(self.window, _("Attach a file"), _("Select a subscription first."))
            return
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self.window, _("Attach a receipt, invoice or contract"))
        if path:
            try:
                AttachmentService(self.window.context.service).attach(sid, Path(path))
            except (ValueError, LookupError, OSError) as error:
                warn(self.window, _("Attach a file"), error_text(error))

    def import_rates(self, path: str | None = None) -> list[Rate]:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(
                self.window, _("Import the ECB's rates file"), "", _("ECB rates (*.xml *.zip)")
            )
        if not path:
            return []
        try:
            return self.rates.import_file(Path(path))
        except (ValueError, StorageError) as error:  # not the ECB's file; the file busy or replaced
            warn(self.window, _("Exchange rates"), error_text(error))
            return []

    def fetch_rates(self) -> _FetchSignals:
        """Download the ECB's daily rates in a worker thread; only ever on the user's request."""
        signals = _FetchSignals(self.window)
        signals.done.connect(
            lambda found: self.window.statusBar().showMessage(_("Fetched {count} rates").format(count=len(found)), 5000)
        )
        signals.failed.connect(lambda message: warn(self.window, _("Exchange rates"), message))
        QThreadPool.globalInstance().start(_FetchRates(self.rates, signals))
        return signals

    def set_home_currency(self) -> None:
        current = self.rates.home_currency()
        text, ok = ask_text(
            self.window,
            _("Home currency"),
            _("Show totals in (ISO code, empty for per currency):"),
            self.window.writes.hold,
            text=current,
        )
        if ok:
            try:
                self.window.context.service.set_setting("home_currency", text)
            except (ValueError, StorageError) as error:
                warn(self.window, _("Home currency"), error_text(error))


def install(window: MainWindow, open_cancel_letter: Callable[[int], object]) -> HouseholdFeature:
    """Add the review (Tools), the Household view, the household and attachment actions and the rate actions."""
    service = window.context.service
    review, household, rates = ReviewService(service), HouseholdService(service), RateService(service)
    feature = HouseholdFeature(window, review, household, rates, open_cancel_letter)
    feature.view = HouseholdView(feature)

    def convert_spending(spending: SpendingView) -> None:  # once the Spending tab is first built
        spending.conversion = lambda: (rates.home_currency(), rates.table())
        window.context.signals.changed.connect(spending.mark_stale)  # a new home currency or rate

    window.when_built("spending", convert_spending)
    window.add_view(feature.view, _("&Household"))

    def add(menu: str, text: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, window)
        action.triggered.connect(lambda _checked=False: slot())
        window.menu(menu).addAction(action)
        return action

    add("tools", _("Re&view subscriptions…"), feature.open_review)
    window.needs_selection(
        add("subscription", _("&Household: who pays, who uses…"), feature.assign_selected),
        add("subscription", _("&Attach a file…"), feature.attach_file),
    )
    add("tools", _("&Home currency…"), feature.set_home_currency)
    add("tools", _("&Import ECB exchange rates…"), feature.import_rates)
    add("tools", _("&Fetch ECB exchange rates now"), feature.fetch_rates)
    return feature
