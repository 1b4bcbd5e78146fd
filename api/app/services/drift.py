"""Input drift while serving: the last rows priced, against the training reference.

Beyond the course (its sequel watches drift with Prometheus and Grafana). The model
carries a reference of its training split's inputs
(:mod:`regression_model.monitoring.reference`); :class:`DriftWindow` keeps the last
``drift_window_rows`` rows priced (1,000 by default) and sets the gauge
``house_prices_feature_drift_psi{feature}`` to each feature's population stability
index over them (:func:`regression_model.monitoring.drift.psi_by_feature`): near 0
while the houses asked about look like the training ones, above 0.25 when a feature
has moved a lot.

Cheap by design: a row costs one small dict of its features; the PSI is computed
at most once every ``drift_refresh_seconds`` (5 s by default), by the request that
finds it due, and skipped by any other request while it runs. Prometheus scrapes
every 15 s or so, so a fresher figure would go unread.

With several worker processes each keeps the window of the rows it priced; the
gauge shows the latest figures any live worker computed (a worker gets a share of
every kind of traffic, so its window tells the same story).

Drift never changes a price: the window sees the rows after they are priced.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any

import pandas as pd
from prometheus_client import Gauge
from regression_model.monitoring.drift import psi_by_feature
from regression_model.monitoring.reference import load_reference
from regression_model.processing.schema import accepted_names

logger = logging.getLogger("uvicorn.error")


def drift_window(
    trained_dir: Path | None, gauge: Gauge, window_rows: int, refresh_seconds: float
) -> DriftWindow | None:
    """The drift window of the model in ``trained_dir``, or ``None`` without a
    reference (a model trained before references existed: one log line, no drift
    series).

    Raises
    ------
    ModelIntegrityError
        If the reference was changed after training: the server does not start,
        as for a changed plan.
    """
    reference = load_reference(trained_dir)
    if reference is None:
        logger.warning(
            "the model has no training reference (trained before references "
            "existed): no drift series; train it again to watch drift"
        )
        return None
    return DriftWindow(reference, gauge, window_rows, refresh_seconds)


class DriftWindow:
    """The last rows priced and their PSI per feature, kept in a gauge.

    Parameters
    ----------
    reference : dict
        The model's training reference (``load_reference``): feature -> bins.
    gauge : prometheus_client.Gauge
        ``house_prices_feature_drift_psi``, labelled by ``feature``.
    window_rows : int
        How many of the last rows priced the PSI is computed on.
    refresh_seconds : float
        The least time between two computations (``0``: after every request).
    """

    def __init__(
        self,
        reference: dict[str, dict[str, Any]],
        gauge: Gauge,
        window_rows: int,
        refresh_seconds: float,
    ) -> None:
        self.reference = reference
        self.gauge = gauge
        self.refresh_seconds = refresh_seconds
        self.rows: deque[dict[str, Any]] = deque(maxlen=window_rows)
        # A row may name a column by its Python alias: read it by its Kaggle name.
        self.names = {
            name: kaggle
            for name, kaggle in accepted_names().items()
            if kaggle in reference
        }
        self.due_at = -math.inf
        self.fresh_rows = 0
        self._rows_lock = threading.Lock()  # requests add rows from several threads
        self._computing = threading.Lock()

    def add(self, rows: list[dict[str, Any]], prices: list[float | None]) -> None:
        """Keep the features of the rows that got a price; refresh the PSI if due."""
        names = self.names
        kept = [
            {
                names[key]: _text_safe(value)
                for key, value in row.items()
                if key in names
            }
            for row, price in zip(rows, prices, strict=True)
            if price is not None
        ]
        with self._rows_lock:
            self.rows.extend(kept)
            self.fresh_rows += len(kept)
        if self.fresh_rows and time.monotonic() >= self.due_at:
            self.refresh()

    def refresh(self) -> None:
        """Compute every feature's PSI on the window and set the gauge.

        A request that finds another one computing leaves it to that one.
        """
        if not self._computing.acquire(blocking=False):
            return
        try:
            self.due_at = time.monotonic() + self.refresh_seconds
            with self._rows_lock:
                window = list(self.rows)
                self.fresh_rows = 0
            frame = pd.DataFrame(window, columns=list(self.reference))
            for feature, value in psi_by_feature(self.reference, frame).items():
                self.gauge.labels(feature).set(value)
        finally:
            self._computing.release()


def _text_safe(value: Any) -> Any:
    """A label as the window keeps it: a lone surrogate (valid JSON, not UTF-8) is
    escaped, so pandas' string columns can hold it; it counts as an unseen label."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value
