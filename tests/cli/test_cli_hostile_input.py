"""Hostile command-line values are usage errors: one line on stderr, exit 2, nothing written, never "internal error"."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.cli_runs import call, dump

THOUSANDS_OF_DIGITS = "9" * 5000


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One subscription (id 1), shared by the examples below: a failing command must leave it byte for byte."""
    path = tmp_path_factory.mktemp("hostile") / "renewals.sqlite3"
    code, _, err = call(path, "add", "--name", "Seed", "--amount", "5", "--every", "1 month", "--start", "2026-01-05")
    assert code == 0, err
    return path


def assert_usage_error(result: tuple[int, str, str], message: str = "") -> None:
    code, out, err = result
    assert code == 2, err
    assert out == "" and err.count("\n") == 1 and err.endswith("\n") and err.startswith("renewaltracker: error: ")
    assert "internal error" not in err and "Traceback" not in err and message in err


ADD = ["add", "--name", "X", "--amount", "1", "--start", "2026-01-05"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export-ics", "--ids", "9223372036854775808"], "is not an id"),
        (["export-ics", "--ids", "1e3"], "'1e3' is not an id"),
        (["export-ics", "--ids", "0"], "'0' is not an id"),
        (["export-ics", "--ids", "1,,x"], "'x' is not an id"),
        (["export-ics", "--ids", THOUSANDS_OF_DIGITS], "is not an id"),
        (["show", THOUSANDS_OF_DIGITS], "is not an id"),
        (["show", "١"], "is not an id"),  # an Arabic-Indic digit: int() takes it, an id is ASCII
        ([*ADD, "--every", f"{THOUSANDS_OF_DIGITS} months"], "every: '" + "9" * 30 + "…' is not a billing"),
        ([*ADD, "--every", "1 month", "--remind", THOUSANDS_OF_DIGITS], "remind: must be a whole number of days"),
        ([*ADD, "--every", "1 month", "--remind", "²"], "remind: '²' is not a whole number"),
        (["edit", "1", "--notice-days", THOUSANDS_OF_DIGITS], "notice-days: is too large"),
        (["edit", "1", "--notice-days", "-" + THOUSANDS_OF_DIGITS], "notice-days: must be at least 0"),
        (["upcoming", "--days", THOUSANDS_OF_DIGITS], "days: must be at most"),
        (
            ["add", "--name", "\udcff\udcfe", "--amount", "1", "--every", "1 month", "--start", "2026-01-05"],
            "argument name: '\\udcff\\udcfe' is not valid UTF-8 text",
        ),
        (["edit", "1", "--vendor", "caf\udce9"], "is not valid UTF-8 text"),
    ],
)
def test_hostile_values_are_usage_errors_that_write_nothing(seeded: Path, args: list[str], message: str) -> None:
    before = digest(seeded)
    assert_usage_error(call(seeded, *args), message)
    assert digest(seeded) == before


def test_a_non_utf8_file_name_is_still_a_file_name(tmp_path: Path, seeded: Path) -> None:
    target = tmp_path / "caf\udce9.ics"  # surrogateescape'd bytes are a valid name on POSIX
    code, _, err = call(seeded, "export-ics", "--out", str(target))
    assert code == 0, err
    assert target.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_good_ids_still_work(seeded: Path) -> None:
    code, out, err = call(seeded, "export-ics", "--ids", " 1 , 1,")
    assert code == 0, err
    assert "SUMMARY:Seed" in out or out == ""  # stdout bytes go to the buffer when there is one


# Values an attacker, a typo or a script bug could send: text with surrogates and controls, huge and
# negative integers, floats in every notation, numbers with units, and lists of them.
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.tuples(st.sampled_from(["", "-", "+"]), st.text("0123456789", min_size=1, max_size=6000)).map("".join),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.decimals(allow_nan=True).map(str),
)
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)  # surrogates included
values = st.one_of(
    numbers,
    any_text,
    st.tuples(numbers, st.sampled_from(["", " days", " month", "m", " years", "w"])).map("".join),
    st.lists(st.one_of(numbers, any_text), max_size=4).map(",".join),
)
OPTIONS = [
    lambda v: ["export-ics", "--out", "-", f"--ids={v}"],
    lambda v: ["show", "--", v],
    lambda v: ["upcoming", f"--days={v}"],
    lambda v: ["edit", "1", f"--every={v}"],
    lambda v: ["edit", "1", f"--remind={v}"],
    lambda v: ["edit", "1", f"--notice-days={v}"],
    lambda v: ["edit", "1", f"--end-count={v}"],
    lambda v: ["edit", "1", f"--name={v}"],
    lambda v: ["charge", "list", "--", v],
    # Issue #16: every text field, settings, dates and status changes.
    lambda v: ["edit", "1", f"--support-email={v}"],
    lambda v: ["edit", "1", f"--notes={v}"],
    lambda v: ["edit", "1", f"--vendor={v}"],
    lambda v: ["edit", "1", f"--cancel-url={v}"],
    lambda v: ["edit", "1", f"--payment-method={v}"],
    lambda v: ["edit", "1", f"--account={v}"],
    lambda v: ["edit", "1", f"--order-number={v}"],
    lambda v: ["edit", "1", f"--amount={v}"],
    lambda v: ["edit", "1", f"--currency={v}"],
    lambda v: ["config", "user_email", v],
    lambda v: ["config", "upcoming_days", v],
    lambda v: ["config", "caldav_url", v],
    lambda v: ["cancel", "1", f"--effective={v}"],
    lambda v: ["pause", "1", f"--until={v}"],
    lambda v: ["import-ics", "--dry-run", "--", v],
]


@given(option=st.sampled_from(OPTIONS), value=values)
@example(option=OPTIONS[-1], value="\x00")  # a file name with a NUL: "embedded null byte", an internal error
@example(option=OPTIONS[-1], value="a\x00.ics")
def test_fuzzed_option_values_exit_0_or_2_with_one_line(seeded: Path, option: object, value: str) -> None:
    args = option(value)  # type: ignore[operator]
    before = digest(seeded)
    code, _, err = call(seeded, *args)
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    if code == 2:
        assert err.count("\n") == 1 and len(err) < 400, err  # one readable line, not thousands of digits
        assert digest(seeded) == before  # a command that fails writes nothing


def test_linking_a_contact_to_a_request_that_does_not_fit_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "renewals.sqlite3"
    for args in (
        [*ADD, "--every", "1 month"],
        [*ADD, "--every", "1 month", "--name", "Other"],
        ["contact", "add", "1", "--channel", "email", "--summary", "asked"],
        ["request", "open", "2", "--kind", "refund", "--amount", "1"],
    ):
        code, _, err = call(db, *args)
        assert code == 0, err
    before = dump(db)
    assert_usage_error(call(db, "contact", "edit", "1", "--request", "999"), "no request with id 999")
    assert_usage_error(call(db, "contact", "edit", "1", "--request", "1"), "request 1 is about subscription 2")
    assert dump(db) == before


@pytest.mark.parametrize(
    "args",
    [
        ["edit", "1", "--letter-language", "-3"],
        ["edit", "1", "--letter-language", "_"],
        ["config", "language", "_"],
        ["--lang", "-3", "list"],
        ["draft", "cancel", "1", "--lang", "-3"],
    ],
)
def test_a_language_that_names_none_is_refused_not_read_as_no_preference(seeded: Path, args: list[str]) -> None:
    code, _, err = call(seeded, "edit", "1", "--letter-language", "de")
    assert code == 0, err
    before = dump(seeded)
    assert_usage_error(call(seeded, *args), "is not one of: en, de, fr")
    assert dump(seeded) == before


def test_the_attachments_of_an_unknown_subscription_are_an_error_not_an_empty_list(seeded: Path) -> None:
    assert_usage_error(call(seeded, "attachments", "999"), "no subscription with id 999")
    assert_usage_error(call(seeded, "attachments", "999", "--json"), "no subscription with id 999")


def database_files(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--out"],
        ["export", "--format", "csv", "--out"],
        ["export-ics", "--out"],
        ["draft", "cancel", "1", "--out"],
        ["draft", "cancel", "1", "--format", "eml", "--out"],
        ["backup"],
    ],
)
@pytest.mark.parametrize("which", [0, 1, 2], ids=["database", "wal", "shm"])
def test_an_output_file_that_is_the_database_or_its_journal_is_refused(
    tmp_path: Path, command: list[str], which: int
) -> None:
    db = tmp_path / "renewals.sqlite3"
    code, _, err = call(db, *ADD, "--every", "1 month", "--name", "Kept")
    assert code == 0, err
    target = database_files(db)[which]
    before = dump(db)
    assert_usage_error(call(db, *command, str(target)), str(db))
    assert dump(db) == before
    code, out, err = call(db, "list")
    assert code == 0 and "Kept" in out, err


@pytest.mark.parametrize(
    ("language", "words"), [("de", "die vorherige Datenbank liegt unter"), ("fr", "l’ancienne base de données est")]
)
def test_restore_reports_where_the_previous_database_went_in_the_interface_language(
    tmp_path: Path, language: str, words: str
) -> None:
    db = tmp_path / "renewals.sqlite3"
    assert call(db, *ADD, "--every", "1 month")[0] == 0
    assert call(db, "backup", str(tmp_path / "copy.sqlite3"))[0] == 0
    code, out, err = call(db, "--lang", language, "restore", str(tmp_path / "copy.sqlite3"))
    assert code == 0, err
    assert words in out and "previous database" not in out


@pytest.fixture(scope="module")
def furnished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A subscription with a charge (1), a contact (1), a request (1) and a member: the ids the commands below name."""
    path = tmp_path_factory.mktemp("furnished") / "renewals.sqlite3"
    for args in (
        [*ADD, "--every", "1 month", "--refund-days", "14"],
        ["charge", "add", "1", "--date", "2026-01-05"],
        ["contact", "add", "1", "--channel", "email", "--summary", "asked"],
        ["request", "open", "1", "--kind", "refund", "--charge", "1"],
        ["member", "add", "Alice"],
    ):
        code, _, err = call(path, *args)
        assert code == 0, err
    return path


# Every other command that takes a value, with that value where a user types it.
MORE_OPTIONS = [
    lambda v: ["charge", "add", "1", f"--date={v}"],
    lambda v: ["charge", "add", "1", "--date", "2026-02-05", f"--amount={v}"],
    lambda v: ["charge", "edit", "1", "1", f"--amount={v}"],
    lambda v: ["charge", "edit", "1", "1", f"--state={v}"],
    lambda v: ["charge", "refund", "1", "1", f"--amount={v}"],
    lambda v: ["price", "step", "1", "--from", "2027-01-05", f"--amount={v}"],
    lambda v: ["price", "step", "1", f"--from={v}", "--amount", "7"],
    lambda v: ["price", "rm", "1", v],
    lambda v: ["pause", "1", f"--from={v}"],
    lambda v: ["resume", "1", f"--on={v}"],
    lambda v: ["used", "1", f"--on={v}"],
    lambda v: ["upcoming", f"--from={v}"],
    lambda v: ["upcoming", f"--until={v}"],
    lambda v: ["remind", "--dry-run", f"--now={v}"],
    lambda v: ["contact", "add", "1", "--channel", "email", f"--at={v}"],
    lambda v: ["contact", "edit", "1", f"--follow-up={v}"],
    lambda v: ["contact", "edit", "1", f"--promised-by={v}"],
    lambda v: ["contact", "edit", "1", f"--request={v}"],
    lambda v: ["contact", "edit", "1", f"--channel={v}"],
    lambda v: ["request", "open", "1", "--kind", "refund", f"--amount={v}"],
    lambda v: ["request", "open", "1", f"--kind={v}"],
    lambda v: ["request", "resolve", "1", "--outcome", "granted", f"--amount={v}"],
    lambda v: ["draft", "refund", "1", f"--charge={v}"],
    lambda v: ["draft", "price-increase", "1", f"--new-price={v}"],
    lambda v: ["draft", "cancel", "1", f"--tone={v}"],
    lambda v: ["draft", v, "1"],
    lambda v: ["rate", "set", "USD", v],
    lambda v: ["rate", "set", v, "1.1"],
    lambda v: ["member", "rm", v],
    lambda v: ["edit", "1", f"--payer={v}"],
    lambda v: ["edit", "1", f"--split={v}"],
    lambda v: ["config", "reminder_time", v],
    lambda v: ["config", "reminder_days", v],
    lambda v: ["config", "language", v],
    lambda v: ["--lang", v, "list"],
]


@given(option=st.sampled_from(MORE_OPTIONS), value=values)
def test_fuzzed_values_of_every_other_command_exit_0_or_2_with_one_line(
    furnished: Path, option: object, value: str
) -> None:
    args = option(value)  # type: ignore[operator]
    before = dump(furnished)
    code, _, err = call(furnished, *args)
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    if code == 2:
        assert err.count("\n") == 1 and len(err) < 400, err
        assert dump(furnished) == before
