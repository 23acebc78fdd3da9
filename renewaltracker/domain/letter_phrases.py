"""The words drafts.py puts into a letter's context, per letter language: the facts are computed once, in
drafts.py, and only their wording is looked up here ("card services" / "Kartenservice" / "service cartes")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from babel.core import Locale
from babel.dates import format_date
from babel.numbers import format_currency, get_currency_precision, get_currency_symbol, get_decimal_quantum

from renewaltracker.domain.format_shapes import MoneyShape, apply_money
from renewaltracker.domain.interval import Interval
from renewaltracker.domain.languages import BABEL_LOCALES, ENGLISH, LETTER_LANGUAGES

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# key → wording; placeholders in braces. Every language has every key (tests/domain/test_letter_languages.py).
PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "addressee_bank": "Dear card services team,",
        "addressee_vendor": "Dear {vendor} support team,",
        "friendly_bank": "Hello,",
        "friendly_vendor": "Hello {vendor} team,",
        "thanks_friendly": "Thank you very much for your help!",
        "thanks_neutral": "Thank you for your help.",
        "thanks_firm": "Thank you.",
        "sign_off_friendly": "Best wishes,",
        "sign_off_neutral": "Kind regards,",
        "sign_off_firm": "Regards,",
        "reply_within": "Please reply within {days}, by {date}.",
        "reply_before_charge": "Please reply as soon as possible, before the next charge on {date}.",
        "reply_asap": "Please reply as soon as possible.",
        "day": "{n} day",
        "days": "{n} days",
        "cardholder": "Cardholder",
        "card": "Card",
        "merchant": "Merchant",
        "amount": "Amount",
        "first_block": "First payment to block",
        "name": "Name",
        "account": "Account",
        "plan": "Plan",
        "order_number": "Order number",
        "purchase_date": "Purchase date",
        "charge_in_question": "Charge in question",
        "payment_method": "Payment method",
        "unnamed_card": "card {value}",
        "login": "Account",
        "reference_account": "account {value}",
        "reference_login": "account {value}",
        "reference_order": "order {value}",
        "charge": "{amount} on {date}",
        "charge_reference": " (reference {value})",
        "contact": "{date} {channel}",
        "contact_case": "case {value}",
        "contact_agent": "with {agent}",
        "phone": "Phone: {value}",
        "email": "Email: {value}",
        "card_services": "Card services",
        "withdrawal": (
            "As I understand it, consumers can generally withdraw from a contract made online within {days} days, "
            "and I took out this one on {purchase}, so please also treat this message as my notice of withdrawal."
        ),
        "uk_cpa": (
            "I understand that under the Payment Services Regulations a card issuer must stop a recurring card "
            "payment (continuous payment authority) when the cardholder asks, without needing the merchant's "
            "agreement."
        ),
        "california": (
            "California's automatic renewal law (Business and Professions Code section 17602) requires that a "
            "subscription taken out online can also be cancelled online, so please treat this email as my "
            "cancellation."
        ),
    },
    "de": {
        "addressee_bank": "Sehr geehrte Damen und Herren,",
        "addressee_vendor": "Sehr geehrte Damen und Herren,",
        "friendly_bank": "Guten Tag,",
        "friendly_vendor": "Liebes {vendor}-Team,",
        "thanks_friendly": "Vielen Dank für Ihre Hilfe!",
        "thanks_neutral": "Vielen Dank für Ihre Unterstützung.",
        "thanks_firm": "Vielen Dank.",
        # German letters end the closing formula without a comma.
        "sign_off_friendly": "Viele Grüße",
        "sign_off_neutral": "Mit freundlichen Grüßen",
        "sign_off_firm": "Mit freundlichen Grüßen",
        "reply_within": "Bitte antworten Sie mir innerhalb von {days}, spätestens bis zum {date}.",
        "reply_before_charge": "Bitte antworten Sie mir umgehend, in jedem Fall vor der nächsten Abbuchung am {date}.",
        "reply_asap": "Bitte antworten Sie mir umgehend.",
        # Dative, as the letters use it: "innerhalb von 14 Tagen".
        "day": "{n} Tag",
        "days": "{n} Tagen",
        "cardholder": "Karteninhaber/in",
        "card": "Karte",
        "merchant": "Händler",
        "amount": "Betrag",
        "first_block": "Erste zu sperrende Zahlung",
        "name": "Name",
        "account": "Kundennummer",
        "plan": "Tarif",
        "order_number": "Bestell- bzw. Vertragsnummer",
        "purchase_date": "Vertragsabschluss",
        "charge_in_question": "Betroffene Abbuchung",
        "payment_method": "Zahlungsmittel",
        "unnamed_card": "Karte {value}",
        "login": "Kundenkonto",
        "reference_account": "Kundennummer {value}",
        "reference_login": "Kundenkonto {value}",
        "reference_order": "Vertragsnummer {value}",
        "charge": "{amount} am {date}",
        "charge_reference": " (Referenz {value})",
        "contact": "{date} {channel}",
        "contact_case": "Vorgangsnummer {value}",
        "contact_agent": "mit {agent}",
        "phone": "Telefon: {value}",
        "email": "E-Mail: {value}",
        "card_services": "Kartenservice",
        "withdrawal": (
            "Da ich den Vertrag am {purchase} online abgeschlossen habe und die Widerrufsfrist von {days} Tagen "
            "noch läuft, widerrufe ich hiermit zugleich meine Vertragserklärung."
        ),
        "uk_cpa": (
            "Nach meinem Verständnis der britischen Payment Services Regulations muss der Kartenherausgeber eine "
            "wiederkehrende Kartenzahlung (Continuous Payment Authority) auf Wunsch des Karteninhabers stoppen, "
            "ohne dass der Händler zustimmen muss."
        ),
        "california": (
            "Das kalifornische Gesetz über automatische Verlängerungen (Business and Professions Code, Section "
            "17602) verlangt, dass ein online abgeschlossenes Abonnement auch online gekündigt werden kann; bitte "
            "behandeln Sie diese E-Mail daher als meine Kündigung."
        ),
    },
    "fr": {
        "addressee_bank": "Madame, Monsieur,",
        "addressee_vendor": "Madame, Monsieur,",
        "friendly_bank": "Bonjour,",
        "friendly_vendor": "Bonjour,",
        "thanks_friendly": "Merci beaucoup pour votre aide !",
        "thanks_neutral": "Je vous remercie par avance de votre aide.",
        "thanks_firm": "Je vous en remercie.",
        "sign_off_friendly": "Bien cordialement,",
        "sign_off_neutral": "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        "sign_off_firm": "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        "reply_within": "Je vous remercie de me répondre sous {days}, au plus tard le {date}.",
        "reply_before_charge": (
            "Je vous remercie de me répondre dans les meilleurs délais, avant le prochain prélèvement du {date}."
        ),
        "reply_asap": "Je vous remercie de me répondre dans les meilleurs délais.",
        "day": "{n} jour",
        "days": "{n} jours",
        "cardholder": "Titulaire de la carte",
        "card": "Carte",
        "merchant": "Commerçant",
        "amount": "Montant",
        "first_block": "Premier paiement à bloquer",
        "name": "Nom",
        "account": "Numéro client",
        "plan": "Formule",
        "order_number": "Numéro de commande ou de contrat",
        "purchase_date": "Date de souscription",
        "charge_in_question": "Prélèvement concerné",
        "payment_method": "Moyen de paiement",
        "unnamed_card": "carte {value}",
        "login": "Compte client",
        "reference_account": "numéro client {value}",
        "reference_login": "compte client {value}",
        "reference_order": "contrat n° {value}",
        "charge": "{amount} le {date}",
        "charge_reference": " (référence {value})",
        "contact": "{date} {channel}",
        "contact_case": "dossier n° {value}",
        "contact_agent": "avec {agent}",
        "phone": "Téléphone : {value}",
        "email": "E-mail : {value}",
        "card_services": "Service cartes",
        "withdrawal": (
            "Ayant souscrit ce contrat en ligne le {purchase}, je suis encore dans le délai de rétractation de "
            "{days} jours : je vous prie donc de considérer également ce message comme l'exercice de mon droit "
            "de rétractation."
        ),
        "uk_cpa": (
            "Selon les Payment Services Regulations britanniques, l'émetteur d'une carte doit arrêter un paiement "
            "récurrent par carte (continuous payment authority) à la demande du titulaire, sans l'accord du "
            "commerçant."
        ),
        "california": (
            "La loi californienne sur le renouvellement automatique (Business and Professions Code, section 17602) "
            "exige qu'un abonnement souscrit en ligne puisse aussi être résilié en ligne ; je vous prie donc de "
            "considérer ce message comme ma résiliation."
        ),
    },
}

# How an earlier contact was made, as the letter says it ("by email", "per E-Mail", "par e-mail").
CONTACT_CHANNELS: dict[str, dict[str, str]] = {
    "de": {
        "email": "per E-Mail",
        "phone": "telefonisch",
        "chat": "per Chat",
        "web_form": "über das Kontaktformular",
        "in_person": "persönlich",
        "letter": "per Brief",
    },
    "fr": {
        "email": "par e-mail",
        "phone": "par téléphone",
        "chat": "par chat",
        "web_form": "via le formulaire de contact",
        "in_person": "en personne",
        "letter": "par courrier",
    },
}

_UNITS = {
    # unit → (every one, every n: singular noun for n == 1 is never needed)
    "de": {
        "day": ("täglich", "alle {n} Tage"),
        "week": ("wöchentlich", "alle {n} Wochen"),
        "month": ("monatlich", "alle {n} Monate"),
        "year": ("jährlich", "alle {n} Jahre"),
    },
    "fr": {
        "day": ("par jour", "tous les {n} jours"),
        "week": ("par semaine", "toutes les {n} semaines"),
        "month": ("par mois", "tous les {n} mois"),
        "year": ("par an", "tous les {n} ans"),
    },
}


def letter_language(language: str) -> str:
    """The language a letter is written in: `language` when letters exist in it, else English."""
    return language if language in LETTER_LANGUAGES else ENGLISH


def phrase(language: str, key: str, **values: object) -> str:
    return PHRASES[letter_language(language)][key].format(**values)


def format_day(day: date, language: str = ENGLISH) -> str:
    """ "9 March 2026", "9. März 2026", "9 mars 2026": spelled-out months, never an ambiguous 03/09."""
    if letter_language(language) == ENGLISH:
        # Day before month: unambiguous on both sides of the Atlantic, whatever the machine's locale.
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    text = str(format_date(day, "long", locale=BABEL_LOCALES[letter_language(language)]))
    # French writes the first of the month as an ordinal: "1er mars 2026".
    return "1er" + text[1:] if language == "fr" and day.day == 1 else text


def format_money(amount: Decimal, currency: str, language: str = ENGLISH) -> str:
    """ "$39.99", "39,99 $", "39,99 €": the letter language's conventions, with plain spaces for plain text."""
    locale = "en" if letter_language(language) == ENGLISH else BABEL_LOCALES[letter_language(language)]
    return _written(amount, currency, locale, plain=True)


def locale_money(amount: Decimal, currency: str, locale: str) -> str:
    """Babel's `format_currency(amount, currency, locale=locale)`, to the character (its no-break spaces kept),
    from the same cached pattern: the window's tables write hundreds of amounts as they first paint."""
    return _written(amount, currency, locale, plain=False)


def _written(amount: Decimal, currency: str, locale: str, *, plain: bool) -> str:
    shape = _money_shape(currency, locale, plain) if amount.is_finite() else None
    text = None if shape is None else apply_money(shape, amount)
    if text is None:
        return babel_money(amount, currency, locale) if plain else str(format_currency(amount, currency, locale=locale))
    return text


def currency_shape(currency: str, locale: str) -> MoneyShape | None:
    """The shape `locale_money` writes a currency's amounts with (None: declined, Babel writes them)."""
    return _money_shape(currency, locale, plain=False)


def babel_money(amount: Decimal, currency: str, locale: str) -> str:
    """`format_money` as Babel writes it for a Babel locale: the reference the fast path is held to."""
    text = str(format_currency(amount, currency, locale=locale))
    return text.replace("\xa0", " ").replace("\u202f", " ")


@lru_cache(maxsize=256)
def _money_shape(currency: str, locale: str, plain: bool = True) -> MoneyShape | None:
    """A currency's pattern in a locale, symbols filled in (no-break spaces made plain when `plain`), for
    `format_money` to write amounts without Babel (Babel takes ~0.1 ms an amount; a `remind` writes thousands).
    None for a pattern it does not reproduce."""
    parsed = Locale.parse(locale)
    pattern = parsed.currency_formats["standard"]
    symbol = get_currency_symbol(currency, parsed)
    symbols = parsed.number_symbols["latn"]
    digits = get_currency_precision(currency)
    affixes = (*pattern.prefix, *pattern.suffix)
    if (
        pattern.scale
        or pattern.exp_prec
        or "@" in pattern.pattern
        or pattern.int_prec[0] != 1
        or min(pattern.grouping) < 1
        or digits < 0
        or "'" in symbol + symbols["group"] + symbols["decimal"]  # Babel's own output differs there (de_CH)
        or any("'" in affix or "¤¤" in affix for affix in affixes)
    ):
        return None

    def filled(text: str) -> str:
        text = text.replace("¤", symbol)
        return text.replace("\xa0", " ").replace("\u202f", " ") if plain else text

    return (
        (filled(pattern.prefix[0]), filled(pattern.prefix[1])),
        (filled(pattern.suffix[0]), filled(pattern.suffix[1])),
        filled(symbols["group"]),
        (pattern.grouping[0], pattern.grouping[1]),
        filled(symbols["decimal"]) if digits else "",
        get_decimal_quantum(digits),
    )


def plural_days(days: int, language: str = ENGLISH) -> str:
    return phrase(language, "day" if days == 1 else "days", n=days)


def describe_interval(interval: Interval, language: str = ENGLISH) -> str:
    """ "monthly", "monatlich", "par mois"; "every 3 months", "alle 3 Monate", "tous les 3 mois"."""
    units = _UNITS.get(letter_language(language))
    if units is None:
        return interval.describe()
    every_one, every_n = units[interval.unit.value]
    return every_one if interval.count == 1 else every_n.format(n=interval.count)


def contact_channel(channel_value: str, english_label: str, language: str) -> str:
    """How a contact was made, in the letter's words; English keeps "by <label>" (its phrase table adds "by")."""
    table = CONTACT_CHANNELS.get(letter_language(language))
    return table[channel_value] if table is not None else f"by {english_label}"
