"""Price one partition on a worker: the model it loaded once, the rows, the file.

One task per partition calls :func:`score_partition`: it reads the partition (a
Parquet one is read here, on the worker), prices it with :func:`make_prediction`
and writes it to its own Parquet file. Only a :class:`PartitionReport`, a few
counters, goes back to the client.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from regression_model.batch.inputs import ParquetPartition
from regression_model.predict import load_model, make_prediction
from regression_model.processing.data_manager import load_metadata
from regression_model.processing.schema import numerical_columns

# One model per worker process, keyed by its trained folder and the SHA-256 of its
# file: a task loads it the first time, every later task on that worker reuses it,
# and a model retrained into the same folder (another hash) is loaded afresh.
_MODELS: dict[tuple[str, str], Any] = {}
_MODELS_LOCK = threading.Lock()


class PartitionReport(NamedTuple):
    """What one task did: rows written and priced, and where its time went."""

    rows: int
    priced: int
    read_seconds: float
    score_seconds: float
    write_seconds: float
    cpu_seconds: float


def worker_model(trained_dir: str | None) -> Any:
    """The scoring plan of ``trained_dir`` for this process, loaded once per file."""
    folder = Path(trained_dir) if trained_dir else None
    metadata = load_metadata(folder)
    key = (str(trained_dir), str(metadata.get("model_sha256", metadata)))
    with _MODELS_LOCK:
        if key not in _MODELS:
            _MODELS.clear()  # one model per process: drop a superseded one
            _MODELS[key] = load_model(folder)
        return _MODELS[key]


def _numbers_where_possible(column: pd.Series) -> pd.Series:
    """A text column as numbers, cell by cell; a cell that is no number stays text.

    Validation then rejects exactly that cell's row and no other (a CSV partition
    with ``GrLivArea="abc"`` in one row is not a partition of bad rows).
    """
    values = column.astype(object)
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.astype(object).where(numbers.notna() | values.isna(), values)


def score_frame(
    data: pd.DataFrame, trained_dir: str | None, id_variable: str
) -> pd.DataFrame:
    """Price the rows of one partition: one output row per input row, in order.

    The output has ``id_variable``, ``SalePrice`` (null for a row with an error) and
    ``error`` (the row's messages joined by ``"; "``, empty when none). A pure
    function of the rows and the model file, so a retried partition writes the same
    rows again, never other ones.
    """
    data = data.reset_index(drop=True)
    numeric = set(numerical_columns()) - {id_variable}
    for column in data.columns:
        if column in numeric and not pd.api.types.is_numeric_dtype(data[column]):
            data[column] = _numbers_where_possible(data[column])
    result = make_prediction(data, model=worker_model(trained_dir))
    messages: dict[int, list[str]] = {}
    for problem in result["errors"]:
        messages.setdefault(problem["row"], []).append(
            f"{problem['column']}: {problem['message']}"
        )
    errors = np.full(len(data), "", dtype=object)
    for row, row_messages in messages.items():
        errors[row] = "; ".join(row_messages)
    return pd.DataFrame(
        {
            id_variable: data[id_variable].to_numpy(),
            "SalePrice": np.array(result["predictions"], dtype=np.float64),
            "error": pd.Series(errors, dtype="str"),
        }
    )


def score_partition(
    partition: ParquetPartition | pd.DataFrame,
    target: str,
    trained_dir: str | None,
    id_variable: str,
) -> PartitionReport:
    """Read one partition, price it and write it to the Parquet file ``target``.

    ``partition`` is row groups of a Parquet file (read here, on the worker) or a
    frame that Dask read from CSV. The file is written under a temporary name and
    renamed, so a retried task replaces its own file whole and no reader sees half
    of one.
    """
    cpu = time.thread_time()
    start = time.perf_counter()
    data = partition.read() if isinstance(partition, ParquetPartition) else partition
    read = time.perf_counter()
    scored = score_frame(data, trained_dir, id_variable)
    priced = time.perf_counter()
    partial = f"{target}.partial"
    pq.write_table(pa.Table.from_pandas(scored, preserve_index=False), partial)
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
