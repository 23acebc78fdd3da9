"""Writes docs/interop.md: the default export expanded by calcurse, khal, ical.js, libical, Radicale's server and
four Python readers.

Run from the repository root: `.venv/bin/python benchmarks/interop.py` (tests/interop/ checks the same, in CI).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.interop.check import TABLE, run, table  # noqa: E402
from tests.interop.provision import provision  # noqa: E402


def main() -> int:
    missing = provision()  # installs what this machine allows, as the tests do
    if missing:
        print(f"not installed: {'; '.join(missing)}", file=sys.stderr)
        return 2
    began = time.perf_counter()
    outcomes = run()
    TABLE.write_text(table(outcomes), encoding="utf-8")
    wrong = sum(len(o.missing) + len(o.extra) for o in outcomes)
    print(f"wrote {TABLE.relative_to(ROOT)} in {time.perf_counter() - began:.1f} s; {wrong} shape/client mismatches")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
