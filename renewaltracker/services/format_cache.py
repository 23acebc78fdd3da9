"""The cached format shapes (domain/format_shapes.py) the window formats its first rows with, without Babel.

One small JSON file in the user's cache folder, per Babel version: for each desktop locale and interface language
the window ran in, the medium date pattern with its month names and the currency formats of the currencies the
collection uses. It holds no user data (no amounts, names or dates) and is safe to delete: a missing, unreadable or
other-version file only means Babel formats, as it did before the cache existed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from importlib.util import find_spec
from pathlib import Path

from renewaltracker.domain.format_shapes import FormatShapes, shapes_from_data, shapes_to_data
from renewaltracker.storage.paths import quick_cache_dir

FILENAME = "format-shapes.json"
# Raised whenever the file's layout or the meaning of a shape changes: an older file is then ignored.
LAYOUT = 1
# Locales kept in the file (the newest ones used): a desktop switched between languages keeps each one's shapes.
MAX_ENTRIES = 8
_VERSION = re.compile(r"""^__version__\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)


def cache_path() -> Path:
    return quick_cache_dir() / FILENAME


def babel_version() -> str | None:
    """The installed Babel's version, read from its package without importing it (which loads its locale code);
    None when Babel cannot be found."""
    try:
        spec = find_spec("babel")
        origin = spec.origin if spec is not None else None
        if origin is None:
            return None
        found = _VERSION.search(Path(origin).read_text(encoding="utf-8"))
    except (OSError, ValueError, ImportError):
        return None
    return found.group(1) if found else None


def entry_key(desktop: str, language: str) -> str:
    """Which entry a window takes its shapes from: what its formats are decided from (`interface_locale`)."""
    return f"{desktop}|{language}"


def _read(path: Path, version: str) -> dict[str, object]:
    """The file's entries when it is of this layout and Babel version; empty otherwise (missing, corrupt, old)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("layout") != LAYOUT or data.get("babel") != version:
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def load_shapes(key: str, path: Path | None = None) -> FormatShapes | None:
    """The shapes cached for `key` by this Babel version; None when there are none to trust."""
    version = babel_version()
    if version is None:
        return None
    entry = _read(path or cache_path(), version).get(key)
    if entry is None:
        return None
    try:
        return shapes_from_data(entry)
    except ValueError:
        return None


def save_shapes(key: str, shapes: FormatShapes, path: Path | None = None) -> bool:
    """Store `shapes` under `key`, keeping the other entries of this Babel version. False when nothing changed or
    the file cannot be written (it is only a cache)."""
    version = babel_version()
    if version is None:
        return False
    target = path or cache_path()
    entries = _read(target, version)
    entry = shapes_to_data(shapes)
    if entries.get(key) == entry:
        return False
    entries.pop(key, None)
    entries[key] = entry  # the newest last: the oldest go first beyond MAX_ENTRIES
    kept = dict(list(entries.items())[-MAX_ENTRIES:])
    text = json.dumps({"layout": LAYOUT, "babel": version, "entries": kept}, ensure_ascii=False)
    # Imported here: tempfile (under it) is not needed to read the file as the window starts.
    from renewaltracker.storage.files import write_private

    try:
        write_private(target, text.encode("utf-8"))  # 0600, atomic: a reader sees the old file or the new one
    except OSError:
        return False
    return True


def refresh_shapes(key: str, locale: str, currencies: Iterable[str], path: Path | None = None) -> bool:
    """Build the shapes of `locale` for `currencies` with Babel and store them under `key` (a worker's job: tens of
    milliseconds of Babel)."""
    from renewaltracker.domain.format_shapes import shapes_of

    return save_shapes(key, shapes_of(locale, currencies), path)
