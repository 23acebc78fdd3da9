"""Settings are checked by the one table in the domain when set, and tolerated when read back."""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.domain.errors import ValidationError
from renewaltracker.domain.settings import canonical_setting, parse_setting, stored_setting


@pytest.mark.parametrize(
    ("key", "text", "problem"),
    [
        ("region", "Mars", "'Mars' is not a supported region; choose EU, UK, US-CA or leave it empty"),
        ("user_email", "a,b@x.org", "is not one email address"),
        ("user_email", "a@x.org\r\nBcc: b@y.org", "is not one email address"),
        ("user_email", "a b@x.org", "is not one email address"),
        ("user_email", "me", "is not one email address"),
        ("default_currency", "bananas", "is not a currency"),
        ("upcoming_days", "-5", "from 1 to 3650"),
        ("upcoming_days", "0", "from 1 to 3650"),
        ("upcoming_days", "3651", "from 1 to 3650"),
        ("upcoming_days", "9" * 20, "from 1 to 3650"),
        ("reminder_days", "", "give at least one number of days"),
        ("reminder_days", " , ", "give at least one number of days"),
        ("user_name", "A\x00B", "NUL"),
    ],
)
def test_bad_settings_are_refused_naming_the_setting(key: str, text: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=f"^{key}: .*{problem}"):
        parse_setting(key, text)


@pytest.mark.parametrize(
    ("key", "text", "stored"),
    [
        ("region", " eu ", "EU"),
        ("region", "california", "US-CA"),
        ("region", "", ""),
        ("default_currency", "euro", "EUR"),
        ("default_currency", "£", "GBP"),
        ("user_email", " me@example.org ", "me@example.org"),
        ("user_name", "Ann\nLee", "Ann Lee"),
        ("upcoming_days", "3650", "3650"),
    ],
)
def test_good_settings_are_stored_normalised(key: str, text: str, stored: str) -> None:
    assert canonical_setting(key, text) == stored


@pytest.mark.expect_log_warnings
def test_a_bad_stored_value_falls_back_to_the_default_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="renewaltracker.domain.settings"):
        assert stored_setting("upcoming_days", "-5") == 30
        assert stored_setting("reminder_days", "") == (7, 1)
    assert "upcoming_days" in caplog.text and len(caplog.records) == 2
    assert stored_setting("upcoming_days", "90") == 90


@pytest.mark.expect_log_warnings
def test_a_bad_stored_value_is_not_copied_into_the_log(caplog: pytest.LogCaptureFixture) -> None:
    """An address with a password in it (an older version, a hand edit) must not reach the log file."""
    with caplog.at_level(logging.WARNING, logger="renewaltracker.domain.settings"):
        assert stored_setting("caldav_url", "https://sam:hunter2@dav.example.com/") == ""
        assert stored_setting("user_email", "sam@example.com, boss@example.com") == ""
    assert "caldav_url" in caplog.text and "user_email" in caplog.text
    for private in ("hunter2", "sam", "boss"):
        assert private not in caplog.text


@given(
    scheme=st.sampled_from(["https://", "http://", "ftp://", "webcal://", "HTTPS://", ""]),
    user=st.text(alphabet="abcdefghijklmnopqrstuvwxyz.", min_size=1, max_size=12),
    secret=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$%&*+", min_size=6, max_size=20),
    rest=st.sampled_from(["dav.example.org/dav/", "127.0.0.1:5232/", "cloud.example/remote.php/dav"]),
)
def test_a_server_address_with_a_password_in_it_is_refused_without_repeating_the_password(
    scheme: str, user: str, secret: str, rest: str
) -> None:
    """The message goes to the screen, stderr and the log: it names the mistake, never the password."""
    with pytest.raises(ValidationError) as raised:
        parse_setting("caldav_url", f"{scheme}{user}:{secret}@{rest}")
    assert secret not in str(raised.value)
    assert "user name and password" in str(raised.value)


@pytest.mark.expect_log_warnings
def test_a_stored_address_with_a_password_is_ignored_without_writing_the_password_to_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Stored by an older version or brought back by a restore, it falls back to no address; the log names the
    setting, never the password."""
    with caplog.at_level(logging.WARNING, logger="renewaltracker.domain.settings"):
        assert stored_setting("caldav_url", "https://me:Tr0ub4dor@dav.example.org/dav/") == ""
    assert "caldav_url" in caplog.text
    assert "Tr0ub4dor" not in caplog.text
