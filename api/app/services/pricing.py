"""One path from a body to a price: :func:`price`, for ``/predict`` and ``/explain``.

The rows arrive as the client sent them (FastAPI checked only that each is an
object) and go to the package's ``make_prediction`` once: the package validates each
row against its schema, once, and prices the valid ones. This runs in FastAPI's
thread pool (the routes are plain ``def``), never on the event loop.

Two verdicts turn a request into a 422 instead of a price:

- the package refused a row's input (a value of the wrong type or out of the
  domain). Over HTTP the schema is the contract, so the whole request is refused,
  listing every bad cell. Those rows are read once more, by the same schema
  (:class:`~app.schemas.predict.HouseRow`), only to word each error as FastAPI
  does (``type``, ``loc``, ``ctx``): a valid row is never validated twice;
- a value strict JSON cannot carry (``NaN``, ``Infinity``: Python's parser accepts
  them, and the package would read ``NaN`` as a missing value) or an integer
  float64 cannot hold (beyond 2**53).

A price outside the plausible prices (config.yml's price bounds) is not the
client's mistake: that row gets ``null`` and an error in a 200 answer.

An app that exports metrics registers its model with :func:`watch`; each price
then also counts its rows (priced, or refused: ``error``), warnings and prices, and
feeds the drift window (:mod:`app.services.drift`). That happens after pricing:
watching never changes a price.

Each answered request gets an id (:func:`logged`, uuid4's hex digits, sent back as
``X-Request-ID``); with a prediction log, its rows as sent and the answer's prices,
errors and warnings are offered to it (:mod:`app.db.log`), also after pricing.
"""

from __future__ import annotations

import math
import threading
import uuid
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from regression_model.predict import make_prediction
from regression_model.serving.plan import ScoringPlan

from app.core.metrics import Metrics
from app.db.log import LogEntry, PredictionLog
from app.schemas.predict import LARGEST_INTEGER, HouseRow
from app.services.drift import DriftWindow

# The column the package names when a price falls outside the price bounds.
PRICE_COLUMN = "SalePrice"

# One request prices at a time. The GIL lets one thread compute anyway, so this
# costs no throughput; but a thread waiting on a lock does not compete for the GIL,
# so the event loop gets it back within one switch interval and keeps answering
# (health checks, new connections) while batches are priced.
_PRICING = threading.Lock()


@dataclass
class Watch:
    """What counts one model's prices: the app's metrics and its drift window."""

    metrics: Metrics
    drift: DriftWindow | None = None


# Each app's model -> its watch; an app's model goes when the app does.
_WATCHED: weakref.WeakKeyDictionary[ScoringPlan, Watch] = weakref.WeakKeyDictionary()


def watch(model: ScoringPlan, metrics: Metrics, drift: DriftWindow | None) -> None:
    """Count every price of ``model`` in ``metrics`` and feed ``drift``."""
    _WATCHED[model] = Watch(metrics, drift)


class RowsRejected(Exception):
    """Rows whose input the schema refuses: one pydantic error per bad cell.

    Attributes
    ----------
    errors : list of dict
        pydantic's errors (``type``, ``loc``, ``msg``, ``input``, ``ctx``), each
        ``loc`` starting with the row's 0-based position.
    """

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} values the schema refuses")
        self.errors = errors


def price(
    rows: list[dict[str, Any]], model: ScoringPlan, *, explain: bool = False
) -> dict[str, Any]:
    """Price the rows with ``make_prediction``; with ``explain``, say why each price.

    Parameters
    ----------
    rows : list of dict
        The rows as sent, keyed by Kaggle column names.
    model : ScoringPlan
        The model the app loaded when it started.
    explain : bool, default=False
        Add ``explanations`` (one per row, ``None`` where no price) and
        ``range_quantiles`` to the result.

    Returns
    -------
    dict
        ``make_prediction``'s result: ``predictions``, ``version``, ``errors`` (price
        bounds only), ``warnings``; with ``explain``, ``explanations`` and
        ``range_quantiles``.

    Raises
    ------
    RowsRejected
        If a value of some row is refused by the schema or cannot be a JSON number.
    """
    watched = _WATCHED.get(model)
    if any(beyond_json(value) for row in rows for value in row.values()):
        errors = worded(rows, range(len(rows)), [])
        if errors:
            if watched is not None:
                watched.metrics.count_refused(len({e["loc"][0] for e in errors}))
            raise RowsRejected(errors)
    with _PRICING:
        result = make_prediction(rows, model=model, explain=explain)
    refused = [e for e in result["errors"] if e["column"] != PRICE_COLUMN]
    if refused:
        positions = sorted({error["row"] for error in refused})
        if watched is not None:
            watched.metrics.count_refused(len(positions))
        raise RowsRejected(worded(rows, positions, refused))
    if watched is not None:
        watched.metrics.count_result(result)
        if watched.drift is not None:
            watched.drift.add(rows, result["predictions"])
    return result


def logged(
    log: PredictionLog | None,
    rows: list[dict[str, Any]],
    result: dict[str, Any],
    plan_sha256: str,
) -> str:
    """A new request id, with the request's rows and answer offered to ``log``.

    The offer never blocks nor raises (:meth:`PredictionLog.record`): a full
    queue or a failed database costs the log its rows, counted, not the client
    its answer.

    Parameters
    ----------
    log : PredictionLog or None
        The app's prediction log (``None``: logging is off).
    rows : list of dict
        The rows as sent.
    result : dict
        :func:`price`'s result, as answered.
    plan_sha256 : str
        The SHA-256 of the scoring plan that priced them.

    Returns
    -------
    str
        The request's id: 32 hex digits.
    """
    request_id = uuid.uuid4().hex
    if log is not None:
        entry = LogEntry(
            request_id=request_id,
            at=datetime.now(UTC),
            model_version=result["version"],
            plan_sha256=plan_sha256,
            rows=rows,
            prices=result["predictions"],
            errors=result["errors"],
            warnings=result["warnings"],
        )
        log.record(entry)
    return request_id


def beyond_json(value: object) -> bool:
    """Is ``value`` a number strict JSON or float64 cannot carry?"""
    if type(value) is float:
        return not math.isfinite(value)
    return type(value) is int and abs(value) > LARGEST_INTEGER


def worded(
    rows: list[dict[str, Any]],
    positions: Iterable[int],
    package_errors: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """pydantic's errors for the rows at ``positions``, each ``loc`` led by its row.

    A row the package refused but the schema accepts (they share one schema, so
    this does not happen) keeps the package's own sentence, as a ``value_error``.
    """
    errors: list[dict[str, Any]] = []
    for position in positions:
        try:
            HouseRow.model_validate(rows[position])
        except ValidationError as error:
            errors += [
                {**detail, "loc": (position, *detail["loc"])}
                for detail in error.errors(include_url=False)
            ]
            continue
        errors += [
            {
                "type": "value_error",
                "loc": (position, found["column"]),
                "msg": found["message"],
                "input": rows[position].get(found["column"]),
            }
            for found in package_errors
            if found["row"] == position
        ]
    return errors
