"""Shared fixtures: every test gets its own database, data/config/log folders, keyring and clock."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

# Before anything imports Qt: tests never need a screen. The offscreen ones are the screenshots' 1366×850 (the
# window's first size fits it) and the small screens the window and dialogs must fit (tests/ui/test_screen_fit.py).
if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
    SCREENS = Path(__file__).parent / "fixtures" / "offscreen-screens.json"
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={SCREENS}"

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import keyring
import pytest
from hypothesis import HealthCheck, settings
from keyring.backend import KeyringBackend

from renewaltracker.domain.clock import FixedClock
from renewaltracker.i18n import install_language
from renewaltracker.services.subscriptions import SubscriptionService
from renewaltracker.storage.database import Database, open_database

pytest_plugins = ["pytester"]  # tests/test_fixtures.py runs the project's pytest settings on sample tests

# CI runs the same examples every time (a red CI names a real regression, not a new random find); a developer's
# run explores new ones, and the "thorough" profile many more.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=os.environ.get("CI") == "true",
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


class InMemoryKeyring(KeyringBackend):
    """A keyring that remembers within one test only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[InMemoryKeyring]:
    """No test touches the real home folder, database or keyring."""
    home = tmp_path / "home"
    for variable, folder in (
        ("HOME", home),
        ("XDG_DATA_HOME", home / "data"),
        ("XDG_CONFIG_HOME", home / "config"),
        ("XDG_STATE_HOME", home / "state"),
        ("XDG_CACHE_HOME", home / "cache"),
        ("RENEWALTRACKER_LOG_DIR", home / "logs"),
    ):
        folder.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(variable, str(folder))
    monkeypatch.delenv("RENEWALTRACKER_DB", raising=False)
    # The interface language follows the system's: every test starts in English whatever the machine speaks.
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    install_language("en")
    previous = keyring.get_keyring()
    memory = InMemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)
    install_language("en")


class _WarningRecords(logging.Handler):
    """Collects WARNING-or-worse records from the app's loggers, wherever setup_logging points their output."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_unexpected_log_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    """A logged warning from renewaltracker fails the test unless it is marked `expect_log_warnings` (then it must).

    The handler sits on the "renewaltracker" logger itself because setup_logging stops propagation there; the
    logger's level, propagation and handlers are restored after each test, so no file handler outlives its test.
    """
    logger = logging.getLogger("renewaltracker")
    saved = (logger.level, logger.propagate, list(logger.handlers))
    collected = _WarningRecords()
    logger.addHandler(collected)
    yield
    for handler in logger.handlers[:]:
        if handler not in saved[2]:
            logger.removeHandler(handler)
            if handler is not collected:
                handler.close()
    logger.setLevel(saved[0])
    logger.propagate = saved[1]
    expected = request.node.get_closest_marker("expect_log_warnings") is not None
    if collected.records and not expected:
        lines = [f"  {record.levelname} {record.name}: {record.getMessage()}" for record in collected.records]
        heading = "unexpected warnings logged (mark the test expect_log_warnings if it provokes them):"
        pytest.fail("\n".join([heading, *lines]), pytrace=False)
    if expected and not collected.records:
        pytest.fail("marked expect_log_warnings, but nothing was logged at WARNING or above", pytrace=False)


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database at the newest schema, built by Alembic once per session; tests get copies of the file."""
    path = tmp_path_factory.mktemp("template") / "renewals.sqlite3"
    open_database(path).close()
    # Closing the last connection checkpoints the WAL into the main file, so the file alone is the database.
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture
def empty_db_path(tmp_path: Path) -> Path:
    """Where a database will be created: for tests of creating or migrating one."""
    return tmp_path / "renewals.sqlite3"


@pytest.fixture
def db_path(empty_db_path: Path, migrated_template: Path) -> Path:
    """A fresh, empty database at the newest schema: a copy of the template, so opening it runs no migration."""
    shutil.copyfile(migrated_template, empty_db_path)
    return empty_db_path


@pytest.fixture
def database(db_path: Path) -> Iterator[Database]:
    db = open_database(db_path)
    yield db
    db.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Europe/Berlin")))


@pytest.fixture
def service(database: Database, clock: FixedClock) -> SubscriptionService:
    return SubscriptionService(database, clock)
