"""Price one partition on a worker: the job's one model, the rows, the file.

The client reads the scoring plan once (:func:`ship_model`: its bytes, checked
against the SHA-256 the metadata vouches for) and ships those bytes to the
workers, so every partition of a run is priced by the same model, even if the
trained folder changes during the run. One task per partition calls
:func:`score_partition`: it reads the partition on the worker (only the columns
the job needs, as Arrow), prices it and writes it to its own Parquet file, whose
metadata names the model. Only a :class:`PartitionReport`, a few counters, goes
back to the client.

Two ways to price a partition, one contract: :func:`score_frame` is the reference,
a pandas frame priced by :func:`make_prediction`, easy to follow;
:func:`score_table`, what the job runs, does the same on Arrow columns
(:mod:`.columnar`: labels encoded once per column, numbers checked as arrays) and
gives the same prices, bit for bit, and the same messages
(``package/tests/batch/test_columnar.py`` proves it on clean and dirty rows). A
row's Id must be a whole number (:mod:`.cells`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from regression_model import __version__
from regression_model.batch.cells import numbers_where_possible, whole_ids
from regression_model.batch.columnar import columns_to_read, encode
from regression_model.batch.inputs import Partition
from regression_model.config import load_config
from regression_model.predict import load_model, make_prediction, price_problem
from regression_model.processing.data_manager import (
    ModelIntegrityError,
    load_metadata,
    pipeline_path,
    plan_path,
    read_vouched,
)
from regression_model.processing.schema import numerical_columns
from regression_model.serving.plan import ScoringPlan

# One model per worker process, keyed by the SHA-256 of its plan (or, given a
# trained folder, by the folder and its file's hash): a task loads it the first
# time, every later task on that worker reuses it.
_MODELS: dict[tuple[str, str], Any] = {}
_MODELS_LOCK = threading.Lock()
MESSAGE = 300  # characters of any one message in the output, at most


class PartitionReport(NamedTuple):
    """What one task did: rows written and priced, and where its time went."""

    rows: int
    priced: int
    read_seconds: float
    score_seconds: float
    write_seconds: float
    cpu_seconds: float


class ShippedModel(NamedTuple):
    """The job's model as the client read it: the plan's bytes and their SHA-256."""

    plan_file: str
    sha256: str
    content: bytes

    def record(self) -> dict[str, str]:
        """What an output says of the model that priced it."""
        return {
            "package_version": __version__,
            "plan_file": Path(self.plan_file).name,
            "plan_sha256": self.sha256,
        }


def ship_model(trained_dir: Path | None) -> ShippedModel:
    """Read the trained folder's scoring plan once, checked, for the workers.

    Raises
    ------
    FileNotFoundError, ModelIntegrityError
        As :func:`regression_model.serving.plan.load_plan` does.
    """
    model_path = pipeline_path(trained_dir)
    path = plan_path(model_path)
    content = read_vouched(model_path, path, "plan", None)
    try:
        ScoringPlan.from_json(content)  # refuse a malformed plan here, not per task
    except (ValueError, LookupError, TypeError, AttributeError) as error:
        raise ModelIntegrityError(
            f"{path} is not a valid scoring plan ({type(error).__name__})"
        ) from error
    return ShippedModel(str(path), hashlib.sha256(content).hexdigest(), content)


def worker_model(model: ShippedModel | str | None) -> Any:
    """The scoring plan for this process, loaded once per plan.

    ``model`` is the plan the client shipped (its bytes are checked against its
    SHA-256), or a trained folder to load it from (``None``: the package's own).
    """
    if isinstance(model, ShippedModel):
        # every task checks the bytes it got (a plan hashes in microseconds)
        if hashlib.sha256(model.content).hexdigest() != model.sha256:
            raise ModelIntegrityError(
                f"{model.plan_file}: the shipped plan does not match its SHA-256: "
                "refusing it"
            )
        key = ("shipped", model.sha256)
        with _MODELS_LOCK:
            if key not in _MODELS:
                _MODELS.clear()  # one model per process: drop a superseded one
                _MODELS[key] = ScoringPlan.from_json(model.content)
            return _MODELS[key]
    folder = Path(model) if model else None
    metadata = load_metadata(folder)
    key = (str(model), str(metadata.get("model_sha256", metadata)))
    with _MODELS_LOCK:
        if key not in _MODELS:
            _MODELS.clear()
            _MODELS[key] = load_model(folder)
        return _MODELS[key]


def _short(message: str) -> str:
    """A message cut to :data:`MESSAGE` characters: a huge cell is never echoed."""
    return message if len(message) <= MESSAGE else message[: MESSAGE - 1] + "…"


def score_frame(
    data: pd.DataFrame, model: ShippedModel | str | None, id_variable: str
) -> pd.DataFrame:
    """Price the rows of one partition: one output row per input row, in order.

    The output has ``id_variable`` (integers; null for a row whose Id is not a
    whole number), ``SalePrice`` (null for a row with an error) and ``error`` (the
    row's messages, each cut to 300 characters, joined by ``"; "``; empty when
    none). A pure function of the rows and the model, so a retried partition
    writes the same rows again, never other ones. ``model`` is the shipped plan, or
    a trained folder (see :func:`worker_model`).
    """
    data = data.reset_index(drop=True)
    ids, bad_ids = whole_ids(data[id_variable])
    numeric = set(numerical_columns()) - {id_variable}
    for column in data.columns:
        if column in numeric and not pd.api.types.is_numeric_dtype(data[column]):
            data[column] = numbers_where_possible(data[column])
    result = make_prediction(data, model=worker_model(model))
    prices = np.array(result["predictions"], dtype=np.float64)
    return _scored(ids, prices, bad_ids, result["errors"], id_variable)


def score_table(
    table: pa.Table, model: ShippedModel | str | None, id_variable: str
) -> pd.DataFrame:
    """:func:`score_frame` on Arrow columns: the same output, bit for bit.

    ``table`` holds the columns :func:`regression_model.batch.columnar.columns_to_read`
    chose, under their Kaggle names. Every valid row is priced in one call, with
    the same float operations on the same rows as :func:`make_prediction`.
    """
    plan = worker_model(model)
    encoded = encode(table, plan, id_variable)
    rows = np.flatnonzero(encoded.valid)
    values = encoded.values
    if len(rows) < table.num_rows:
        values = {variable: column[rows] for variable, column in values.items()}
    scaled = plan.scale(plan.features_from_codes(values, len(rows)))
    with np.errstate(over="ignore"):  # an overflow is a row error, below
        priced = plan.price(scaled)
    bounds = load_config().model
    with np.errstate(invalid="ignore"):
        plausible = (priced >= bounds.min_price) & (priced <= bounds.max_price)
    errors = list(encoded.errors)
    for row, price in zip(rows[~plausible], priced[~plausible], strict=True):
        message = price_problem(float(price))
        errors.append({"row": int(row), "column": "SalePrice", "message": message})
    prices = np.full(table.num_rows, np.nan)
    prices[rows[plausible]] = priced[plausible]
    errors.sort(key=lambda error: error["row"])  # stable: as make_prediction's
    return _scored(encoded.ids, prices, encoded.bad_ids, errors, id_variable)


def _scored(
    ids: pd.Series,
    prices: np.ndarray,
    bad_ids: dict[int, str],
    errors: list[dict[str, Any]],
    id_variable: str,
) -> pd.DataFrame:
    """The output rows: Ids, prices (none for a bad Id) and each row's messages.

    ``errors`` are make_prediction's (validation, then price bounds, by row); an
    Id it did not refuse but is no whole number gets the job's own message first.
    """
    prices[list(bad_ids)] = np.nan
    flagged = {e["row"] for e in errors if e["column"] == id_variable}
    messages: dict[int, list[str]] = {
        row: [f"{id_variable}: {message}"]
        for row, message in bad_ids.items()
        if row not in flagged
    }
    for problem in errors:
        messages.setdefault(problem["row"], []).append(
            f"{problem['column']}: {problem['message']}"
        )
    column = np.full(len(prices), "", dtype=object)
    for row, row_messages in messages.items():
        column[row] = "; ".join(_short(message) for message in row_messages)
    return pd.DataFrame(
        {
            id_variable: ids.reset_index(drop=True).rename(id_variable),
            "SalePrice": prices,
            "error": pd.Series(column, dtype="str"),
        }
    )


def score_partition(
    partition: Partition | pd.DataFrame,
    target: str,
    model: ShippedModel | str | None,
    id_variable: str,
) -> PartitionReport:
    """Read one partition, price it and write it to the Parquet file ``target``.

    ``partition`` is row groups of Parquet files or blocks of CSV files, read here,
    on the worker, as Arrow (only the columns :func:`columns_to_read` names) and
    priced by :func:`score_table`; or a pandas frame, priced by
    :func:`score_frame`. The file is written under a temporary name and renamed,
    so a retried task replaces its own file whole and no reader sees half of one.
    With a shipped model, the file's metadata records
    it (key ``regression_model``: package version and plan SHA-256).
    """
    cpu = time.thread_time()
    start = time.perf_counter()
    if isinstance(partition, pd.DataFrame):
        data: pd.DataFrame | pa.Table = partition
    else:
        wanted = functools.partial(
            columns_to_read, plan=worker_model(model), id_variable=id_variable
        )
        data = partition.read(wanted, encoded=True)
    read = time.perf_counter()
    if isinstance(data, pd.DataFrame):
        scored = score_frame(data, model, id_variable)
    else:
        scored = score_table(data, model, id_variable)
    priced = time.perf_counter()
    partial = f"{target}.partial"
    table = pa.Table.from_pandas(scored, preserve_index=False)
    if isinstance(model, ShippedModel):
        record = json.dumps(model.record()).encode()
        table = table.replace_schema_metadata(
            {**(table.schema.metadata or {}), b"regression_model": record}
        )
    pq.write_table(table, partial)
    os.replace(partial, target)
    written = time.perf_counter()
    return PartitionReport(
        rows=len(scored),
        priced=int(scored["SalePrice"].notna().sum()),
        read_seconds=read - start,
        score_seconds=priced - read,
        write_seconds=written - priced,
        cpu_seconds=time.thread_time() - cpu,
    )
