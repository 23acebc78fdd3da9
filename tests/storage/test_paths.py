"""The database path found without platformdirs (for `--help`'s language) is the one platformdirs finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.storage.paths import data_dir, demo_db_path, quick_data_dir, quick_db_path, resolve_db_path

# Absolute, relative, empty and odd values, a trailing slash and a leading ~ among them; None: the variable unset.
FOLDERS = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "/", "/home/u", "/home/u/", "/a b/c", "relative/dir", "~/data", "~", "//x", "/x/../y"]),
)


@given(xdg=FOLDERS, home=FOLDERS, explicit=st.sampled_from([None, "", "here.sqlite3", "~/x.sqlite3"]))
def test_the_quick_path_is_the_platformdirs_path(xdg: str | None, home: str | None, explicit: str | None) -> None:
    with pytest.MonkeyPatch.context() as patch:
        for variable, value in (("XDG_DATA_HOME", xdg), ("HOME", home)):
            if value is None:
                patch.delenv(variable, raising=False)
            else:
                patch.setenv(variable, value)
        patch.delenv("ANDROID_DATA", raising=False)
        quick = quick_data_dir()
        if quick is not None:
            assert quick == data_dir()
        try:
            expected = resolve_db_path(explicit)
        except RuntimeError:  # platformdirs finds no home folder at all: quick_db_path may say the same
            return
        assert quick_db_path(explicit, demo=False) == expected
        assert quick_db_path(explicit, demo=True) == demo_db_path()


def test_the_usual_folders_need_no_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert quick_data_dir() == tmp_path / "data" / "renewaltracker"
    monkeypatch.setenv("XDG_DATA_HOME", "relative")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert quick_data_dir() == tmp_path / ".local" / "share" / "renewaltracker"
    monkeypatch.setenv("HOME", "relative")
    assert quick_data_dir() is None  # platformdirs asks the password database
    monkeypatch.setenv("RENEWALTRACKER_DB", str(tmp_path / "env.sqlite3"))
    assert quick_db_path(None, demo=False) == tmp_path / "env.sqlite3"
