"""Races a restore against another process adding a subscription, many times; prints one JSON line per round.

Run as a script by tests/concurrency/test_lost_update.py, like race_driver.py: each round starts from a fresh
database, then two forked children run `restore` and `add` at the same moment on it.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

from race_driver import add_argv, race  # run as a script: its folder is on sys.path


def main(folder: Path, rounds: int) -> None:
    from renewaltracker.cli import run

    template, backup = folder / "template.sqlite3", folder / "backup.sqlite3"
    for path, name in ((template, "Before"), (backup, "Restored")):
        argv = add_argv(path, name)
        assert run(argv, out=io.StringIO(), err=(err := io.StringIO())) == 0, err.getvalue()
    for index in range(rounds):
        db = folder / f"round{index}" / "renewals.sqlite3"
        db.parent.mkdir()
        shutil.copyfile(template, db)
        outcome = race([["--db", str(db), "restore", str(backup)], add_argv(db, f"Race {index}")])
        print(
            json.dumps({"db": str(db), "name": f"Race {index}", "restore": outcome["restore"], "add": outcome["add"]})
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
