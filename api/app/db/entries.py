"""What the prediction log keeps of a request: its entries, and their table rows.

The routes build a :class:`LogEntry` once a request is priced, the shadow model a
:class:`ShadowEntry`; :func:`table_rows` turns a batch of them into the rows of the
three tables (:mod:`app.db.models`), in the writer's thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class LogEntry:
    """One request priced by the live model, as the client received it.

    ``rows`` are the inputs as sent, ``prices`` one per row (``None``: no price),
    ``errors`` the answer's errors (``row``, ``column``, ``message``) and
    ``warnings`` its warnings. ``at`` is in UTC.
    """

    request_id: str
    at: datetime
    model_version: str
    plan_sha256: str
    rows: list[dict[str, Any]]
    prices: list[float | None]
    errors: list[dict[str, Any]]
    warnings: list[str]


@dataclass(frozen=True)
class ShadowEntry:
    """One request priced by the shadow model: its prices (never returned), or
    the ``error`` that stopped it, and how many ``seconds`` it took."""

    request_id: str
    at: datetime
    model_version: str
    plan_sha256: str
    prices: list[float | None]
    error: str | None
    seconds: float


def table_rows(
    entries: Iterable[LogEntry | ShadowEntry],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of ``prediction_requests``, ``predictions`` and
    ``shadow_predictions`` that ``entries`` make."""
    requests: list[dict[str, Any]] = []
    predictions: list[dict[str, Any]] = []
    shadows: list[dict[str, Any]] = []
    for entry in entries:
        if isinstance(entry, ShadowEntry):
            shadows += shadow_rows(entry)
            continue
        requests.append(
            {
                "request_id": entry.request_id,
                "at": entry.at,
                "model_version": entry.model_version,
                "plan_sha256": entry.plan_sha256,
                "rows": len(entry.rows),
                "errors": entry.errors,
                "warnings": entry.warnings,
            }
        )
        messages: dict[int, list[str]] = {}
        for error in entry.errors:
            messages.setdefault(error["row"], []).append(error["message"])
        predictions += [
            {
                "request_id": entry.request_id,
                "row": position,
                "inputs": inputs,
                "price": None if price is None else float(price),
                "error": "; ".join(messages[position])
                if position in messages
                else None,
            }
            for position, (inputs, price) in enumerate(
                zip(entry.rows, entry.prices, strict=True)
            )
        ]
    return requests, predictions, shadows


def shadow_rows(entry: ShadowEntry) -> list[dict[str, Any]]:
    """One row per house the shadow model priced; one row (``row`` 0, no price)
    when it failed before pricing any."""
    prices = entry.prices or [None]
    return [
        {
            "request_id": entry.request_id,
            "row": position,
            "at": entry.at,
            "model_version": entry.model_version,
            "plan_sha256": entry.plan_sha256,
            "price": None if price is None else float(price),
            "error": entry.error,
            "seconds": entry.seconds,
        }
        for position, price in enumerate(prices)
    ]
