"""CPU of building the renewals list (`SubscriptionsView`) and of fitting its columns, in process, at 1,000 rows.

Usage: python benchmarks/table_fit.py [--count 1000] [--runs 7]
Offscreen (no display needed). Each run builds a fresh view over an empty model, as a start does, shows it at a
window's size, hands the model its rows (the model resets and the view fits its columns to them, as when the
worker's read arrives), then fits the columns once more alone. Prints the first run (a start's: enum types, the
style and fonts made on first use) and the median and fastest of the others, in ms of CPU.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from benchmarks.window_open import varied_subscription
from renewaltracker.ui.formatting import Formatter
from renewaltracker.ui.subscription_model import SubscriptionRecord, SubscriptionTableModel
from renewaltracker.ui.subscriptions_view import SubscriptionsView

TODAY = date(2026, 3, 10)


def records(count: int) -> list[SubscriptionRecord]:
    """The same varied subscriptions `window_open.py` writes to its database."""
    return [SubscriptionRecord.of(varied_subscription(n), TODAY) for n in range(count)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    app = QApplication([])
    rows = records(options.count)
    builds, arrivals, fits = [], [], []
    for _ in range(options.runs + 1):  # the first run is a start's: enum types, style and fonts made on first use
        model = SubscriptionTableModel(service=None, formatter=Formatter("en_US"))  # type: ignore[arg-type]
        start = time.process_time()
        view = SubscriptionsView(model)  # empty, as at start-up: the rows come from a worker
        builds.append(time.process_time() - start)
        view.resize(1180, 640)
        view.show()
        view.first_columns()
        app.processEvents()
        model.loaded = True  # as the worker's read does
        start = time.process_time()
        model.set_records(rows)  # the rows arrive: the model resets, the view fits its columns
        arrivals.append(time.process_time() - start)
        start = time.process_time()
        view.fit_columns()
        fits.append(time.process_time() - start)
        view.close()
        view.deleteLater()
        app.processEvents()
    for label, values in (
        ("SubscriptionsView()", builds),
        ("rows in, fitted", arrivals),
        ("fit_columns() alone", fits),
    ):
        print(
            f"{label:20} first {values[0] * 1000:5.1f} ms, then median {statistics.median(values[1:]) * 1000:5.1f} ms,"
            f" best {min(values[1:]) * 1000:5.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
