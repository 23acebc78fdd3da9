"""The folders found without platformdirs (the database for `--help`'s language, the cache for the window's first
paint) are the ones platformdirs finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from renewaltracker.storage.paths import (
    cache_dir,
    data_dir,
    demo_db_path,
    quick_cache_dir,
    quick_data_dir,
    quick_db_path,
    resolve_db_path,
)

# Absolute, relative, empty and odd values, a trailing slash and a leading ~ among them; None: the variable unset.
FOLDERS = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "/", "/home/u", "/home/u/", "/a b/c", "relative/dir", "~/data", "~", "//x", "/x/../y"]),
)


def set_folders(patch: pytest.MonkeyPatch, **folders: str | None) -> None:
    """Set (or unset, for None) each variable, as platformdirs reads them on Linux."""
    for variable, value in folders.items():
        if value is None:
            patch.delenv(variable, raising=False)
        else:
            patch.setenv(variable, value)
    patch.delenv("ANDROID_DATA", raising=False)


@given(xdg=FOLDERS, home=FOLDERS, explicit=st.sampled_from([None, "", "here.sqlite3", "~/x.sqlite3"]))
def test_the_quick_path_is_the_platformdirs_path(xdg: str | None, home: str | None, explicit: str | None) -> None:
    with pytest.MonkeyPatch.context() as patch:
        set_folders(patch, XDG_DATA_HOME=xdg, HOME=home)
        quick = quick_data_dir()
        if quick is not None:
            assert quick == data_dir()
        try:
            expected = resolve_db_path(explicit)
        except RuntimeError:  # platformdirs finds no home folder at all: quick_db_path may say the same
            return
        assert quick_db_path(explicit, demo=False) == expected
        assert quick_db_path(explicit, demo=True) == demo_db_path()


@given(xdg=FOLDERS, home=FOLDERS)
def test_the_quick_cache_folder_is_the_platformdirs_one(xdg: str | None, home: str | None) -> None:
    with pytest.MonkeyPatch.context() as patch:
        set_folders(patch, XDG_CACHE_HOME=xdg, HOME=home)
        try:
            expected = cache_dir()
        except RuntimeError:  # platformdirs finds no home folder at all
            return
        assert quick_cache_dir() == expected


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
