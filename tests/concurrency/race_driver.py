"""Races two real CLI processes on one subscription, many times; prints one JSON line per round.

Run as a script by tests/concurrency/test_lost_update.py: the CLI is imported once here, then every round
forks two children that wait on a barrier and run their command at the same moment, each with its own
database connection, exactly as two `renewaltracker` processes would (without paying the start-up each time).
"""

from __future__ import annotations

import io
import json
import multiprocessing
import sys
from pathlib import Path
from typing import Any


def _child(
    barrier: multiprocessing.synchronize.Barrier, argv: list[str], results: multiprocessing.Queue[object]
) -> None:
    from renewaltracker.cli import run

    out, err = io.StringIO(), io.StringIO()
    barrier.wait()
    code = run(argv, out=out, err=err)
    results.put((argv[2], code, err.getvalue()))


def add_argv(db: Path, name: str) -> list[str]:
    """`add` of a plain monthly plan named `name`."""
    return ["--db", str(db), "add", "--name", name, "--amount", "5", "--every", "1 month", "--start", "2026-01-05"]


def race(commands: list[list[str]]) -> dict[str, tuple[int, str]]:
    """Run each command in a forked child, all released at once; each command's exit code and stderr."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(commands))
    results: Any = context.Queue()
    children = [context.Process(target=_child, args=(barrier, argv, results)) for argv in commands]
    for child in children:
        child.start()
    outcome = {command: (code, message) for command, code, message in (results.get() for _ in children)}
    for child in children:
        child.join()
    return outcome


def main(db: Path, rounds: int) -> None:
    from renewaltracker.cli import run

    for index in range(rounds):
        out, err = io.StringIO(), io.StringIO()
        assert run(add_argv(db, f"Race {index}"), out=out, err=err) == 0, err.getvalue()
        subscription_id = str(json.loads(out.getvalue())["id"])
        outcome = race(
            [
                ["--db", str(db), "edit", subscription_id, "--notes", f"note {index}"],
                ["--db", str(db), "cancel", subscription_id, "--effective", "2026-12-01"],
            ]
        )
        print(json.dumps({"id": int(subscription_id), "edit": outcome["edit"], "cancel": outcome["cancel"]}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
