"""Real calendar clients and readers, each expanding an .ics file over a window to (date, summary) pairs."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import recurring_ical_events
import vobject
from dateutil.rrule import rruleset, rrulestr
from defusedxml import ElementTree
from ical.calendar_stream import IcsCalendarStream
from icalendar import Calendar

from tests.services.radicale_server import RadicaleServer, radicale

Occurrence = tuple[date, str]
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@dataclass(frozen=True)
class Client:
    """A reader: `expand(file, first, last)` lists every occurrence dated first…last; `where` says how it is found."""

    name: str
    expand: Callable[[Path, date, date], list[Occurrence]]
    where: Callable[[], str | None]


def _tool(variable: str, *candidates: str) -> str | None:
    """The tool named by the environment variable, or the first candidate that exists or is on PATH."""
    for candidate in (os.environ.get(variable), *candidates):
        if candidate and (Path(candidate).exists() or shutil.which(candidate)):
            return shutil.which(candidate) or candidate
    return None


def calcurse_path() -> str | None:
    return _tool("INTEROP_CALCURSE", "calcurse")


def ssconvert_path() -> str | None:
    """Gnumeric's command-line converter (Debian gnumeric): reads the CSV export as a spreadsheet does."""
    return _tool("INTEROP_SSCONVERT", "ssconvert")


def khal_path() -> str | None:
    return _tool("INTEROP_KHAL", str(ROOT / ".venv-khal/bin/khal"), "/opt/interop/khal-venv/bin/khal")


def node_modules_with(package: str, variable: str, elsewhere: str) -> str | None:
    """A folder whose node_modules holds `package` (npm install --prefix FOLDER PACKAGE), when node exists too:
    the one `variable` names, the repository's .interop-node, or `elsewhere`."""
    if shutil.which("node") is None:
        return None
    for folder in (os.environ.get(variable), str(ROOT / ".interop-node"), elsewhere):
        if folder and (Path(folder) / "node_modules" / package / "package.json").exists():
            return folder
    return None


def icaljs_modules() -> str | None:
    """Where ical.js (Thunderbird's calendar engine) is installed."""
    return node_modules_with("ical.js", "INTEROP_ICALJS", "/opt/interop/icaljs")


def postal_mime_modules() -> str | None:
    """Where postal-mime (a JavaScript mail parser, as web mail clients read mail) is installed."""
    return node_modules_with("postal-mime", "INTEROP_POSTALMIME", "/opt/interop/postal-mime")


def libical_flags() -> str | None:
    """The compiler flags for libical (Debian libical-dev), when pkg-config and a C compiler find it."""
    if shutil.which("cc") is None or shutil.which("pkg-config") is None:
        return None
    done = subprocess.run(["pkg-config", "--cflags", "--libs", "libical"], capture_output=True, text=True, check=False)
    return done.stdout.strip() if done.returncode == 0 else None


def _run(command: list[str], **kwargs: object) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return str(done.stdout)


def calcurse(file: Path, first: date, last: date) -> list[Occurrence]:
    tool = calcurse_path()
    assert tool is not None
    with tempfile.TemporaryDirectory() as folder:
        report = _run([tool, "-D", folder, "-i", str(file)])
        if " 0 skipped" not in report:
            raise RuntimeError(f"calcurse skipped events: {report.strip()}")
        days = (last - first).days + 1
        out = _run(
            [
                tool,
                "-D",
                folder,
                "-Q",
                "--from",
                first.strftime("%m/%d/%Y"),
                "--days",
                str(days),
                "--output-datefmt",
                "%Y-%m-%d",
                "--format-event",
                "E\t%m\n",
                "--format-recur-event",
                "E\t%m\n",
            ]
        )
    found: list[Occurrence] = []
    day = first
    for line in out.splitlines():
        if line.startswith("E\t"):
            found.append((day, line[2:]))
        elif line.endswith(":") and len(line) == 11:
            day = date.fromisoformat(line[:10])
    return found


def khal(file: Path, first: date, last: date) -> list[Occurrence]:
    tool = khal_path()
    assert tool is not None
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "cal").mkdir()
        config = Path(folder) / "config"
        config.write_text(
            f"[calendars]\n[[rt]]\npath = {folder}/cal\ntype = calendar\n"
            "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
            "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
            "local_timezone = UTC\ndefault_timezone = UTC\n"
            f"[default]\ndefault_calendar = rt\n[sqlite]\npath = {folder}/khal.db\n"
        )
        _run([tool, "-c", str(config), "import", "--batch", "-a", "rt", str(file)])
        out = _run(
            [
                tool,
                "-c",
                str(config),
                "list",
                "--format",
                "{start-date}\t{title}",
                "--day-format",
                "",
                first.isoformat(),
                last.isoformat(),
            ]
        )
    found = []
    for line in out.splitlines():
        if "\t" in line:
            day, title = line.split("\t", 1)
            found.append((date.fromisoformat(day), title))
    return found


def icaljs(file: Path, first: date, last: date) -> list[Occurrence]:
    modules = icaljs_modules()
    assert modules is not None
    out = _run(["node", str(HERE / "expand.mjs"), modules, str(file), first.isoformat(), last.isoformat()])
    return [(date.fromisoformat(line[:10]), line[11:]) for line in out.splitlines() if line]


def libical(file: Path, first: date, last: date) -> list[Occurrence]:
    """Evolution's engine: expand_libical.c, compiled afresh (about 0.1 s) so that no build output is kept around."""
    flags = libical_flags()
    assert flags is not None
    with tempfile.TemporaryDirectory() as folder:
        program = str(Path(folder) / "expand_libical")
        _run(["cc", "-O1", "-o", program, str(HERE / "expand_libical.c"), *flags.split()])
        out = _run([program, str(file), first.isoformat(), last.isoformat()])
    found: list[Occurrence] = []
    for line in out.splitlines():
        day, _uid, summary = line.split("\t", 2)
        found.append((date.fromisoformat(day), summary))
    return found


def _dav(server: RadicaleServer, method: str, path: str, body: bytes, **headers: str) -> bytes:
    token = base64.b64encode(f"{server.user}:{server.password}".encode()).decode()
    request = urllib.request.Request(server.url.rstrip("/") + path, data=body, method=method)
    for name, value in {"Authorization": f"Basic {token}", **headers}.items():
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return bytes(answer.read())


EXPAND_QUERY = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><C:calendar-data><C:expand start="{start}" end="{end}"/></C:calendar-data></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="{start}" end="{end}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""


def radicale_expand(file: Path, first: date, last: date) -> list[Occurrence]:
    """The exported file PUT to a real Radicale as a new calendar (the server stores each event as its own item),
    then one calendar-query REPORT asking the server to expand them over the window.

    Only the server expands: an answer that still holds an RRULE counts as its first date alone."""
    with tempfile.TemporaryDirectory() as folder, radicale(Path(folder)) as server:
        collection = f"/{server.user}/interop/"
        _dav(server, "PUT", collection, file.read_bytes(), **{"Content-Type": "text/calendar"})
        window = {"start": f"{first:%Y%m%d}T000000Z", "end": f"{last + timedelta(days=1):%Y%m%d}T000000Z"}
        query = EXPAND_QUERY.format(**window).encode()
        answer = _dav(server, "REPORT", collection, query, Depth="1", **{"Content-Type": "application/xml"})
    found: list[Occurrence] = []
    for data in ElementTree.fromstring(answer).iter("{urn:ietf:params:xml:ns:caldav}calendar-data"):
        found.extend(_starts_and_summaries(data.text or ""))
    return found


def _starts_and_summaries(text: str) -> list[Occurrence]:
    """(DTSTART day, SUMMARY) of each VEVENT, read line by line: icalendar takes seconds over 1,700 instances that
    each repeat the app's data property."""
    found: list[Occurrence] = []
    day: date | None = None
    summary = ""
    for line in text.replace("\r\n ", "").replace("\n ", "").splitlines():
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            day, summary = None, ""
        elif name.split(";")[0] == "DTSTART":
            day = date.fromisoformat(value[:8])
        elif name == "SUMMARY":
            summary = value.replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
        elif line == "END:VEVENT" and day is not None:
            found.append((day, summary))
    return found


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def recurring(file: Path, first: date, last: date) -> list[Occurrence]:
    calendar = Calendar.from_ical(file.read_bytes())
    events = recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))
    return [(_day(e["DTSTART"].dt), str(e["SUMMARY"])) for e in events]


def icalendar_dateutil(file: Path, first: date, last: date) -> list[Occurrence]:
    """icalendar parses; dateutil expands each RRULE with its EXDATEs (what many Python apps do by hand)."""
    found: list[Occurrence] = []
    begin, end = datetime.combine(first, datetime.min.time()), datetime.combine(last, datetime.min.time())
    for event in Calendar.from_ical(file.read_bytes()).walk("VEVENT"):
        start = datetime.combine(_day(event["DTSTART"].dt), datetime.min.time())
        summary = str(event["SUMMARY"])
        if "RRULE" not in event:
            if begin <= start <= end:
                found.append((start.date(), summary))
            continue
        rules = rruleset()
        rules.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start, ignoretz=True))  # type: ignore[arg-type]
        exdates = event.get("EXDATE", [])
        for exdate in exdates if isinstance(exdates, list) else [exdates]:
            for one in exdate.dts:
                rules.exdate(datetime.combine(_day(one.dt), datetime.min.time()))
        found.extend((moment.date(), summary) for moment in rules.between(begin, end, inc=True))
    return found


def ha_ical(file: Path, first: date, last: date) -> list[Occurrence]:
    calendar = IcsCalendarStream.calendar_from_ics(file.read_text(encoding="utf-8"))
    events = calendar.timeline.overlapping(first, last + timedelta(days=1))
    return [(_day(e.dtstart), e.summary or "") for e in events if first <= _day(e.dtstart) <= last]


def vobject_reader(file: Path, first: date, last: date) -> list[Occurrence]:
    found: list[Occurrence] = []
    begin, end = datetime.combine(first, datetime.min.time()), datetime.combine(last, datetime.min.time())
    for event in vobject.readOne(file.read_text(encoding="utf-8")).vevent_list:
        summary = event.summary.value
        rules = event.getrruleset(addRDate=True)
        if rules is None:  # a single event
            day = _day(event.dtstart.value)
            found.extend([(day, summary)] if first <= day <= last else [])
            continue
        found.extend((_day(moment), summary) for moment in rules.between(begin, end, inc=True))
    return found


def _present() -> str:
    return "python package"


CLIENTS = (
    Client("calcurse", calcurse, calcurse_path),
    Client("khal", khal, khal_path),
    Client("ical.js (Thunderbird)", icaljs, icaljs_modules),
    Client("libical (Evolution)", libical, libical_flags),
    Client("recurring-ical-events", recurring, _present),
    Client("icalendar + dateutil", icalendar_dateutil, _present),
    Client("ical (Home Assistant)", ha_ical, _present),
    Client("vobject (Radicale)", vobject_reader, _present),
    Client("Radicale server-side expand", radicale_expand, _present),
)
