"""The format-shapes cache file: what is saved is loaded back; a missing, corrupt, old or other-Babel file is
ignored; it is written whole or not at all, in the user's cache folder found without platformdirs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import babel
import pytest

from renewaltracker.domain.format_shapes import shapes_of, shapes_to_data
from renewaltracker.services import format_cache
from renewaltracker.services.format_cache import (
    LAYOUT,
    MAX_ENTRIES,
    babel_version,
    cache_path,
    entry_key,
    load_shapes,
    refresh_shapes,
    save_shapes,
)

KEY = entry_key("de_DE", "de")


def test_the_babel_version_is_read_without_importing_it() -> None:
    assert babel_version() == babel.__version__


def test_saved_shapes_load_back_and_other_entries_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "own" / "shapes.json"
    german, american = shapes_of("de_DE", {"EUR", "USD"}), shapes_of("en_US", {"USD"})
    assert save_shapes(KEY, german, path) and save_shapes("en_US|en", american, path)
    assert load_shapes(KEY, path) == german and load_shapes("en_US|en", path) == american
    assert load_shapes("fr_FR|fr", path) is None
    assert not save_shapes(KEY, german, path)  # unchanged: not written again
    assert [p.name for p in path.parent.iterdir()] == ["shapes.json"]  # no temporary file left behind


def test_the_oldest_entries_go_beyond_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "shapes.json"
    shapes = shapes_of("en_US", {"USD"})
    for n in range(MAX_ENTRIES + 2):
        save_shapes(f"key{n}", shapes, path)
    kept = json.loads(path.read_text(encoding="utf-8"))["entries"]
    assert list(kept) == [f"key{n}" for n in range(2, MAX_ENTRIES + 2)]


def test_refresh_builds_the_shapes_with_babel(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "shapes.json"
    assert refresh_shapes(KEY, "de_DE", ["EUR", "JPY"], path)
    assert load_shapes(KEY, path) == shapes_of("de_DE", {"EUR", "JPY"})


def _good_file(path: Path) -> dict[str, object]:
    save_shapes(KEY, shapes_of("de_DE", {"EUR"}), path)
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _with_entry(data: dict[str, Any], **changes: object) -> bytes:
    """The file with its one entry changed."""
    entry = {**data["entries"][KEY], **changes}
    return json.dumps({**data, "entries": {KEY: entry}}).encode()


BAD_GROUPING = [["", ""], ["", ""], ".", [0, 3], ",", "0.01"]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: b"",
        lambda data: b"\x00\xff not json",
        lambda data: json.dumps(data).encode()[:-7],  # cut short
        lambda data: json.dumps([data]).encode(),
        lambda data: json.dumps({**data, "layout": LAYOUT + 1}).encode(),
        lambda data: json.dumps({**data, "babel": "0.1"}).encode(),  # written by another Babel
        lambda data: json.dumps({**data, "entries": []}).encode(),
        lambda data: json.dumps({**data, "entries": {KEY: {"locale": "de_DE"}}}).encode(),
        lambda data: _with_entry(data, date_medium=[["E", 3]]),  # a weekday: not a field shapes write
        lambda data: _with_entry(data, money={"EUR": BAD_GROUPING}),
        lambda data: _with_entry(data, money={"EUR": "1.00"}),
    ],
)
def test_a_bad_file_is_ignored(tmp_path: Path, spoil: object) -> None:
    path = tmp_path / "shapes.json"
    data = _good_file(path)
    path.write_bytes(spoil(data))  # type: ignore[operator]
    assert load_shapes(KEY, path) is None
    assert save_shapes(KEY, shapes_of("de_DE", {"EUR"}), path)  # and replaced by a good one
    assert load_shapes(KEY, path) == shapes_of("de_DE", {"EUR"})


def test_no_file_or_no_babel_means_no_shapes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_shapes(KEY, tmp_path / "missing.json") is None
    _good_file(tmp_path / "shapes.json")
    monkeypatch.setattr(format_cache, "babel_version", lambda: None)
    assert load_shapes(KEY, tmp_path / "shapes.json") is None
    assert not save_shapes(KEY, shapes_of("de_DE", {"EUR"}), tmp_path / "shapes.json")


def test_a_folder_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert not save_shapes(KEY, shapes_of("de_DE", {"EUR"}), blocker / "shapes.json")


def test_the_file_holds_formats_only(tmp_path: Path) -> None:
    path = tmp_path / "shapes.json"
    save_shapes(KEY, shapes_of("de_DE", {"EUR"}), path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"layout", "babel", "entries"}
    assert data["entries"] == {KEY: shapes_to_data(shapes_of("de_DE", {"EUR"}))}


def test_the_file_is_in_the_users_cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert cache_path() == tmp_path / "cache" / "renewaltracker" / "format-shapes.json"


def test_the_file_is_private_to_the_user(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "shapes.json"
    save_shapes(KEY, shapes_of("de_DE", {"EUR"}), path)
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
