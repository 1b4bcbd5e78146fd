"""The yardsticks of the batch benchmark: the floor, and CSV files of the same rows.

The floor is the speed limit of "read, multiply, write" on this machine: one
process reads only the Id and the plan's numeric inputs with pyarrow, row group by
row group on one core (as a worker does), multiplies them by a weight vector, takes
``exp`` and writes ``Id,SalePrice`` to Parquet. It encodes no labels and checks no
cell, so no job can beat it; how close the job comes is the benchmark's question.

For CSV inputs, the yardstick is pandas' ``read_csv`` of the same file: the job
must read it too, then price and write it. :func:`write_csv` writes the rows once,
clean, or dirty as real exports are (blank cells, integers as ``7.0``, unseen labels
and cells that are not numbers), so the job's error paths are timed too.

:func:`table` sets each configuration's runs against its yardstick: median rows/s
and their range over the repeats, CPU seconds per million rows, the ratio.
"""

from __future__ import annotations

import statistics
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from threadpoolctl import threadpool_limits

ID = "Id"
DIRTY_SEED = 25  # the number: the same dirty cells on every run
BLANK_SHARE = 0.01  # of the numeric cells, left empty
UNSEEN_SHARE = 0.001  # of the rows, in a Neighborhood the model never saw
BAD_SHARE = 0.0001  # of the rows, with "abc" as GrLivArea


@dataclass(frozen=True)
class Timing:
    """One measured run: rows, wall seconds, CPU seconds and rows priced.

    ``whole_seconds`` is the run with its start-up (a Dask cluster's), when it
    differs from ``seconds``; ``priced`` is ``None`` when nothing is priced.
    """

    rows: int
    seconds: float
    cpu_seconds: float
    whole_seconds: float | None = None
    priced: int | None = None


def floor(source: Path, numerical: list[str], target: Path) -> Timing:
    """Read ``Id`` and ``numerical`` row group by row group, price, write.

    One core: pyarrow without threads, numpy with one BLAS thread. Any fixed
    weights will do: the point is the work, not the prices. Missing numbers
    count as 0.
    """
    weights = np.full(len(numerical), 1e-5)
    cpu, start = time.process_time(), time.perf_counter()
    source_file = pq.ParquetFile(source)
    writer: pq.ParquetWriter | None = None
    with threadpool_limits(1):
        for group in range(source_file.metadata.num_row_groups):
            table = source_file.read_row_group(
                group, columns=[ID, *numerical], use_threads=False
            )
            X = np.empty((table.num_rows, len(numerical)), dtype=np.float64)
            for column, name in enumerate(numerical):
                X[:, column] = pc.fill_null(table.column(name), 0).to_numpy()
            prices = np.exp(X @ weights + 11.0)
            out = pa.table({ID: table.column(ID), "SalePrice": prices})
            writer = writer or pq.ParquetWriter(target, out.schema)
            writer.write_table(out)
    if writer is not None:
        writer.close()
    rows = source_file.metadata.num_rows
    return Timing(rows, time.perf_counter() - start, time.process_time() - cpu)


def dirty(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """``frame`` as a careless export writes it: ~1 % of numeric cells blank,
    every number a float (``7.0``), ~0.1 % of rows in Neighborhood "Atlantis" and
    ~0.01 % with "abc" as GrLivArea. The Id stays a whole number."""
    frame = frame.copy()
    numeric = [c for c in frame.select_dtypes("number").columns if c != ID]
    for column in numeric:
        values = frame[column].astype("float64")
        frame[column] = values.mask(rng.random(len(frame)) < BLANK_SHARE)
    frame.loc[rng.random(len(frame)) < UNSEEN_SHARE, "Neighborhood"] = "Atlantis"
    frame["GrLivArea"] = frame["GrLivArea"].astype("object")
    frame.loc[rng.random(len(frame)) < BAD_SHARE, "GrLivArea"] = "abc"
    return frame


def write_csv(source: Path, target: Path, *, make_dirty: bool = False) -> None:
    """Write the rows of the Parquet ``source`` to one CSV file, row group by row
    group (so memory stays that of one), clean or :func:`dirty`."""
    rng = np.random.default_rng(DIRTY_SEED)
    source_file = pq.ParquetFile(source)
    for group in range(source_file.metadata.num_row_groups):
        frame = source_file.read_row_group(group).to_pandas()
        if make_dirty:
            frame = dirty(frame, rng)
        frame.to_csv(
            target, mode="w" if group == 0 else "a", header=group == 0, index=False
        )


def read_csv(source: Path) -> Timing:
    """pandas' ``read_csv`` of the whole file, default dtypes: the CSV yardstick."""
    cpu, start = time.process_time(), time.perf_counter()
    with warnings.catch_warnings():  # the dirty file's mixed GrLivArea
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        rows = len(pd.read_csv(source))
    return Timing(rows, time.perf_counter() - start, time.process_time() - cpu)


# The table's lines: label, configuration, whole run (not scoring only), and the
# configuration each ratio is to.
PARQUET_LINES = [
    ("floor: pyarrow, X @ w + b, exp, Parquet", "floor", False, "floor"),
    ("single-process job", "single", False, "floor"),
    ("dask 1 worker, scoring", "dask 1", False, "floor"),
    ("dask 1 worker, whole run", "dask 1", True, "floor"),
    ("dask 2 workers, scoring", "dask 2", False, "floor"),
    ("dask 2 workers, whole run", "dask 2", True, "floor"),
]


def csv_lines(kind: str) -> list[tuple[str, str, bool, str]]:
    """The lines of one CSV file, clean or dirty: the job against read_csv."""
    return [
        ("pandas read_csv", f"{kind} read_csv", False, f"{kind} read_csv"),
        ("job, single process", f"{kind} single", False, f"{kind} read_csv"),
        ("job, dask 2 workers, whole run", f"{kind} dask 2", True, f"{kind} read_csv"),
    ]


def rate(timing: Timing, whole: bool) -> float:
    """Rows per second of a run: of the whole run (start-up included) if ``whole``."""
    seconds = timing.whole_seconds if whole else timing.seconds
    return timing.rows / seconds if seconds else 0.0


def median_rate(timings: list[Timing], whole: bool) -> float:
    """The median of :func:`rate` over the repeats of one configuration."""
    return statistics.median(rate(t, whole) for t in timings)


def table(
    runs: dict[str, list[Timing]], lines: list[tuple[str, str, bool, str]]
) -> list[str]:
    """One line per configuration that ran: rows/s median (min - max), CPU
    seconds per million rows, the ratio of median rows/s to the reference's
    (its scoring figure), rows priced in the last run.

    ``lines``: (label, configuration, whole run?, reference configuration).
    """
    out = []
    for label, name, whole, reference in lines:
        if name not in runs:
            continue
        timings = runs[name]
        rates = [rate(t, whole) for t in timings]
        cpu = statistics.median(t.cpu_seconds / t.rows * 1e6 for t in timings)
        ratio = median_rate(timings, whole) / median_rate(runs[reference], False)
        priced = timings[-1].priced
        out.append(
            f"  {label:<41} {statistics.median(rates):>11,.0f} "
            f"({min(rates):>9,.0f} - {max(rates):>9,.0f}) {cpu:>8.2f} {ratio:>6.2f}x"
            f"  {'-' if priced is None else f'{priced:,}'}"
        )
    return out
