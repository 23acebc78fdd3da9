"""Precision and recall of subscription detection over generated statements, and 100,000 transactions timed."""

from __future__ import annotations

import csv
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.statement_generator import statement
from renewaltracker.domain.recurring import detect_recurring
from renewaltracker.services.statement_files import read_statement


def quality(count: int = 200) -> tuple[float, float, int]:
    hits = extra = missed = 0
    for seed in range(count):
        transactions, truths = statement(seed)
        want = {(t.key, t.interval) for t in truths}
        got = {(c.key, c.interval) for c in detect_recurring(transactions)}
        hits, extra, missed = hits + len(want & got), extra + len(got - want), missed + len(want - got)
    return hits / (hits + extra), hits / (hits + missed), hits + missed


def big_csv(size: int = 100_000) -> bytes:
    """One German-style CSV (semicolons, decimal comma) of `size` lines from generated statements."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Buchungstag", "Auftraggeber / Begünstigter", "Verwendungszweck", "Betrag", "Währung"])
    written, seed = 0, 0
    while written < size:
        for t in statement(seed)[0]:
            if written == size:
                break
            writer.writerow(
                [t.date.strftime("%d.%m.%Y"), t.payee, t.reference, str(t.amount).replace(".", ","), t.currency]
            )
            written += 1
        seed += 1
    return out.getvalue().encode("cp1252", "replace")


def main() -> None:
    precision, recall, truths = quality()
    print(f"200 statements, {truths} subscriptions hidden: precision {precision:.3f}, recall {recall:.3f}")
    data = big_csv()
    timings = []
    for _ in range(3):
        began = time.perf_counter()
        transactions = read_statement(data, "big.csv").transactions
        read = time.perf_counter() - began
        found = detect_recurring(transactions)
        timings.append((time.perf_counter() - began, read))
    total, read = min(timings)
    print(
        f"{len(transactions)} transactions read in {read:.2f} s, "
        f"read and analysed in {total:.2f} s ({len(found)} found)"
    )


if __name__ == "__main__":
    main()
