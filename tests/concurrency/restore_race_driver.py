"""Races a restore against another process adding a subscription, many times; prints one JSON line per round.

Run as a script by tests/concurrency/test_lost_update.py, like race_driver.py: each round starts from a fresh
database, then two forked children run `restore` and `add` at the same moment on it.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import shutil
import sys
from pathlib import Path
from typing import Any

from race_driver import _child  # run as a script: its folder is on sys.path


def main(folder: Path, rounds: int) -> None:
    from renewaltracker.cli import run

    template, backup = folder / "template.sqlite3", folder / "backup.sqlite3"
    for path, name in ((template, "Before"), (backup, "Restored")):
        argv = [
            "--db",
            str(path),
            "add",
            "--name",
            name,
            "--amount",
            "5",
            "--every",
            "1 month",
            "--start",
            "2026-01-05",
        ]
        assert run(argv, out=io.StringIO(), err=(err := io.StringIO())) == 0, err.getvalue()
    context = multiprocessing.get_context("fork")
    for index in range(rounds):
        db = folder / f"round{index}" / "renewals.sqlite3"
        db.parent.mkdir()
        shutil.copyfile(template, db)
        barrier = context.Barrier(2)
        results: Any = context.Queue()
        commands = [
            ["--db", str(db), "restore", str(backup)],
            [
                "--db",
                str(db),
                "add",
                "--name",
                f"Race {index}",
                "--amount",
                "5",
                "--every",
                "1 month",
                "--start",
                "2026-01-05",
            ],
        ]
        children = [context.Process(target=_child, args=(barrier, argv, results)) for argv in commands]
        for child in children:
            child.start()
        outcome = {command: (code, message) for command, code, message in (results.get() for _ in children)}
        for child in children:
            child.join()
        print(
            json.dumps({"db": str(db), "name": f"Race {index}", "restore": outcome["restore"], "add": outcome["add"]})
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
