"""Installs drafting and the contact log into the main window: menu actions and the "Contacts" detail tab."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices

from renewaltracker.domain.drafts import DraftKind
from renewaltracker.i18n import N_, _
from renewaltracker.services.contacts import ContactService
from renewaltracker.services.draft_templates import TemplateLibrary
from renewaltracker.services.drafts import DraftService
from renewaltracker.services.secrets import SecretStore
from renewaltracker.ui.background import LatestOnly
from renewaltracker.ui.contact_log import ContactDialog, ContactLogWidget, ContactSignals
from renewaltracker.ui.draft_dialog import DraftDialog
from renewaltracker.ui.error_text import error_text
from renewaltracker.ui.mail_settings import MailSettingsDialog
from renewaltracker.ui.main_window import MainWindow
from renewaltracker.ui.plain_text import inform, warn
from renewaltracker.ui.widgets import saving_buttons

# The Draft email submenu's entries: the kinds' names, each with an Alt+letter of its own in every language.
MENU_TEXTS = {
    DraftKind.CANCEL: N_("&Cancel the subscription…"),
    DraftKind.REFUND: N_("&Refund an unwanted renewal…"),
    DraftKind.TRIAL_REFUND: N_("Refund after a &trial converted…"),
    DraftKind.DISPUTE: N_("&Unrecognised or duplicate charge…"),
    DraftKind.PRICE_INCREASE: N_("Object to a &price increase…"),
    DraftKind.FOLLOW_UP: N_("&Follow up on an earlier contact…"),
    DraftKind.BANK_STOP: N_("Ask my &bank to stop the payments…"),
}


@dataclass
class DraftsFeature:
    """What the feature built; `contacts.follow_up_events` is the reminders' extra event source."""

    window: MainWindow
    contacts: ContactService
    drafts: DraftService
    secrets: SecretStore
    signals: ContactSignals
    contact_tab: ContactLogWidget
    templates_ahead: TemplatePreparer

    def open_draft(self, kind: DraftKind = DraftKind.CANCEL, subscription_id: int | None = None) -> DraftDialog | None:
        sid = subscription_id if subscription_id is not None else self.window.selected_subscription_id()
        if sid is None:
            inform(self.window, _("Draft email"), _("Select a subscription first."))
            return None
        hold = self.window.writes.hold
        dialog = DraftDialog(
            self.window.context, self.drafts, self.secrets, sid, kind, self.window, self.window.formatter, hold
        )
        # Drafting only reads: a read-only window still copies, saves and sends it, but records and sets up nothing.
        hold([dialog.record_button, dialog.settings_button])
        dialog.show()
        return dialog

    def log_contact(self) -> ContactDialog | None:
        sid = self.window.selected_subscription_id()
        if sid is None:
            inform(self.window, _("Log a contact"), _("Select a subscription first."))
            return None
        dialog = ContactDialog(self.contacts, self.window.context.clock, sid, parent=self.window)
        self.window.writes.hold(saving_buttons(dialog))  # the file may become read only while it is open
        dialog.open()
        return dialog

    def open_mail_settings(self) -> MailSettingsDialog:
        dialog = MailSettingsDialog(self.window.context, self.secrets, self.window)
        self.window.writes.hold(saving_buttons(dialog))
        dialog.open()
        return dialog

    def open_template_folder(self) -> None:
        library = self.drafts.templates
        try:
            library.write_reference_copies()
        except OSError as error:
            warn(
                self.window,
                _("Email templates"),
                _("Cannot prepare {user_dir}: {error}").format(user_dir=library.user_dir, error=error_text(error)),
            )
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(library.user_dir)))


class TemplatePreparer(LatestOnly):
    """Compiles the letter templates of a selected subscription's letter language on a worker, once per language,
    so a draft opened next renders without compiling them on the GUI thread."""

    def __init__(self, window: MainWindow, templates: TemplateLibrary) -> None:
        super().__init__(window)
        self.window = window
        self.templates = templates
        self.prepared: set[str] = set()
        window.selection_changed.connect(self.selected)

    def selected(self, subscription_id: int | None) -> None:
        row = None if subscription_id is None else self.window.model.row_of_id(subscription_id)
        if row is None:
            return
        language = DraftService.default_language(self.window.model.subscription(row))
        if language not in self.prepared:
            self.prepared.add(language)
            self.submit(lambda: self.templates.prepare(language), lambda _result: None)


def install(window: MainWindow, secrets: SecretStore) -> DraftsFeature:
    """Add the draft menu, mail settings and the "Contacts" tab to the window; `secrets` is the app's one store."""
    context = window.context
    contacts = ContactService(context.database, context.clock)
    drafts = DraftService(context.service, contacts, TemplateLibrary())
    signals = ContactSignals(contacts, context.signals, window)
    tab = ContactLogWidget(context, contacts, window, hold=window.writes.hold)
    feature = DraftsFeature(window, contacts, drafts, secrets, signals, tab, TemplatePreparer(window, drafts.templates))
    window.add_detail_tab(tab, _("Contacts"))

    menu = window.menu("subscription").addMenu(_("Draft e&mail"))
    for kind in DraftKind:
        action = QAction(_(MENU_TEXTS[kind]), window)
        action.triggered.connect(lambda _checked=False, k=kind: feature.open_draft(k))
        menu.addAction(action)
    log_action = QAction(_("&Log a support contact…"), window)
    log_action.triggered.connect(feature.log_contact)
    window.menu("subscription").addAction(log_action)
    window.needs_selection(menu.menuAction(), log_action)
    settings_action = QAction(_("&Email settings…"), window)
    settings_action.triggered.connect(feature.open_mail_settings)
    templates_action = QAction(_("Email &templates folder"), window)
    templates_action.setObjectName("action_templates_folder")
    templates_action.triggered.connect(feature.open_template_folder)
    window.menu("tools").addActions([settings_action, templates_action])
    return feature
