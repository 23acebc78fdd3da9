"""The export's fast path: the same bytes as icalendar's `to_ical` of `EventBuilder.build`, written as text.

icalendar spends most of a large export building, sorting and folding one object per property (3.6 s of CPU
for 1,000 subscriptions); here each line is written once as text in icalendar's order, with its escaping and
folding rules, and every typed value (a date, a rule, a duration) is converted by icalendar itself, once per
distinct value. `tests/services/test_ics_writer.py` holds both paths to the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, datetime, timedelta

from icalendar import Event, vRecur

from renewaltracker.domain.events import EVENT_LABELS
from renewaltracker.domain.reminders import trial_ends_in_a_charge
from renewaltracker.domain.subscription import Subscription
from renewaltracker.services.calendar_data import encode_data
from renewaltracker.services.ics_export import (
    X_DATA,
    X_KEY,
    X_KIND,
    EventBuilder,
    EventRole,
    Planned,
    clean_text,
    event_uid,
    to_utc,
    wrap_calendar,
)

FOLD_LIMIT = 75  # octets, as icalendar folds: a line is cut before it would reach the limit


def escape_text(text: str) -> str:
    """A TEXT value escaped as icalendar escapes it (the order of the replacements matters)."""
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line exactly as icalendar does: under 75 octets a part, never right after a backslash or ^."""
    if line.isascii():
        if len(line) < FOLD_LIMIT:
            return line
        parts = []
        start = 0
        while len(line) - start >= FOLD_LIMIT:
            end = start + FOLD_LIMIT - 1
            if line[end - 1] in "\\^" and end - start > 1:  # keep an escape with the character it escapes
                end -= 1
            parts.append(line[start:end])
            start = end
        parts.append(line[start:])
        return "\r\n ".join(parts)
    return _fold_octets(line)


def _fold_octets(line: str) -> str:
    """The general case, character by character: a character of several octets is never split."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if current and size + octets >= FOLD_LIMIT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, size = [carried], len(carried.encode("utf-8"))
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += octets
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def text_line(name: str, text: str) -> str:
    return fold(f"{name}:{escape_text(text)}")


def _date_text(day: date) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"


def _utc_text(moment: datetime) -> str:
    return f"{_date_text(moment)}T{moment.hour:02}{moment.minute:02}{moment.second:02}Z"


_DAY = timedelta(days=1)
_KINDS = {role: text_line(X_KIND, role.value) for role in EventRole}


class IcsWriter:
    """Writes the calendar of a builder's events; converted values are kept for the whole export."""

    def __init__(self, builder: EventBuilder) -> None:
        self.builder = builder
        self._lines: dict[tuple[str, Hashable], str] = {}
        self._dtstamp = self._added("DTSTAMP", builder.now)

    def calendar(self, subscriptions: list[tuple[Subscription, str]], name: str) -> bytes:
        """The whole file: icalendar writes the calendar's own properties, the events are inserted before its end."""
        head = wrap_calendar((), name).to_ical().decode("utf-8")
        end = "END:VCALENDAR\r\n"
        assert head.endswith(end)
        lines = [head[: -len(end)].removesuffix("\r\n")]
        for subscription, key in subscriptions:
            lines.extend(self.events(subscription, key))
        lines.append(end)
        return "\r\n".join(lines).encode("utf-8")

    def events(self, subscription: Subscription, key: str) -> list[str]:
        """The subscription's events as folded lines (a few joined into one string), in the order icalendar sorts
        each event's properties."""
        planned = self.builder.plan(subscription)
        if not planned:
            return []
        builder = self.builder
        # After the canonical properties, icalendar writes the rest alphabetically.
        rest = [text_line("DESCRIPTION", builder.description(subscription))]
        if subscription.updated_at is not None:
            rest.append(f"LAST-MODIFIED:{_utc_text(to_utc(subscription.updated_at))}")
        rest.append("TRANSP:TRANSPARENT")
        if subscription.cancel_url:
            rest.append(fold(f"URL:{subscription.cancel_url}"))  # a URI is written as it is, not escaped
        rest_text = "\r\n".join(rest)
        # `add` gives an X- property icalendar's UNKNOWN type, written verbatim (not escaped).
        owner = fold(f"{X_KEY}:{key}")
        uid_key = escape_text(key)  # the rest of a UID (role, number or date, domain) needs no escaping
        sequence = f"SEQUENCE:{subscription.revision}"
        summaries: dict[str, str] = {}
        tails: dict[EventRole, str] = {}  # from the kind on: the same for every event of a role
        lines: list[str] = []
        for index, one in enumerate(planned):
            summary = summaries.get(one.summary)
            if summary is None:
                summary = summaries[one.summary] = text_line("SUMMARY", one.summary)
            tail = tails.get(one.role)
            if tail is None:
                tail = tails[one.role] = "\r\n".join([_KINDS[one.role], owner, *self._alarms(subscription, one.role)])
            uid = fold(f"UID:{event_uid(uid_key, one.role, one.suffix)}")
            lines.append(
                f"BEGIN:VEVENT\r\n{summary}\r\nDTSTART;VALUE=DATE:{_date_text(one.day)}\r\n"
                f"DTEND;VALUE=DATE:{_date_text(one.day + _DAY)}\r\n{self._dtstamp}\r\n{uid}\r\n{sequence}"
            )
            if one.series is not None:
                lines.extend(self._series(one))
            lines.append(rest_text)
            if index == 0:
                lines.append(fold(f"{X_DATA}:{encode_data(builder.data(subscription))}"))
            lines.append(tail)
            lines.append("END:VEVENT")
        return lines

    def _series(self, one: Planned) -> list[str]:
        assert one.series is not None
        rule = one.series.rule
        lines = [
            self._converted(
                "RRULE",
                tuple(rule.items()),
                lambda: vRecur({name: list(v) if isinstance(v, tuple) else v for name, v in rule.items()}),
            )
        ]
        if one.series.exdates:
            lines.append(self._added("EXDATE", one.series.exdates, list(one.series.exdates)))
        return lines

    def _alarms(self, subscription: Subscription, role: EventRole) -> list[str]:
        if role is EventRole.TRIAL_END and not trial_ends_in_a_charge(subscription):
            return []  # as `CalendarBuilder._alarms`
        at = timedelta(hours=self.builder.reminder_time.hour, minutes=self.builder.reminder_time.minute)
        lines: list[str] = []
        for days in subscription.lead_days(self.builder.lead_days):
            when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
            text = clean_text(f"{subscription.name}: {EVENT_LABELS[role.kind].soon} {when}")
            lines.extend(
                (
                    "BEGIN:VALARM",
                    "ACTION:DISPLAY",
                    text_line("DESCRIPTION", text),
                    self._added("TRIGGER", timedelta(days=-days) + at),
                    "END:VALARM",
                )
            )
        return lines

    def _added(self, name: str, key: Hashable, value: object = None) -> str:
        """A property as `Component.add` converts it (its type chosen by name), once per distinct value."""

        def make() -> object:
            event = Event()
            event.add(name, key if value is None else value)
            return event[name]

        return self._converted(name, key, make)

    def _converted(self, name: str, key: Hashable, make: Callable[[], object]) -> str:
        line = self._lines.get((name, key))
        if line is None:
            line = self._lines[(name, key)] = fold(str(Event().content_line(name, make())))
        return line
