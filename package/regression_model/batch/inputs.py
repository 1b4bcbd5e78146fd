"""The batch job's input: which files, whether their headers agree, and partitions.

A partition is one chunk of the input, priced by one task: ``--blocksize`` bytes of
CSV, read by Dask, or whole row groups of a Parquet file, about ``--partition-rows``
rows, which the worker reads itself (:class:`ParquetPartition`). Everything here
reads headers and footers only, never the rows, so the client's memory stays small
whatever the size of the input.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pyarrow.parquet as pq

SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
DEFAULT_BLOCKSIZE = "16MB"
DEFAULT_PARTITION_ROWS = 100_000


class InputError(Exception):
    """The input cannot be read: the message names the file and the problem."""


@dataclass(frozen=True)
class ParquetPartition:
    """Consecutive row groups of one Parquet file: one partition of the job.

    The task carries only this address; the worker reads the rows itself, so
    nothing but a path and a few numbers goes through the scheduler.
    """

    path: str
    row_groups: tuple[int, ...]

    def read(self) -> pd.DataFrame:
        """The rows of these row groups, columns typed as the file stores them."""
        # one thread: a worker is one core's worth of work, and its neighbours
        # already keep the other cores busy
        table = pq.ParquetFile(self.path).read_row_groups(
            list(self.row_groups), use_threads=False
        )
        return table.to_pandas(use_threads=False)


def input_files(pattern: str) -> list[Path]:
    """The CSV or Parquet files named by a file, a folder or a glob."""
    path = Path(pattern)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputError(f"{path}: no .csv or .parquet file in this folder")
    elif path.is_file():
        files = [path]
    else:
        files = sorted(Path(p) for p in glob.glob(pattern) if Path(p).is_file())
        if not files:
            raise InputError(f"{pattern}: no such file")
    kinds = {SUFFIXES.get(f.suffix.lower()) for f in files}
    if None in kinds:
        bad = next(f for f in files if f.suffix.lower() not in SUFFIXES)
        raise InputError(f"{bad}: not a .csv or .parquet file")
    if len(kinds) > 1:
        raise InputError(f"{pattern}: mixes CSV and Parquet files; pass one kind")
    return files


def _columns(file: Path) -> list[str]:
    """The column names of one input file, reading only its header or footer."""
    try:
        if SUFFIXES[file.suffix.lower()] == "csv":
            return list(pd.read_csv(file, nrows=0).columns)
        return list(pq.read_schema(file).names)
    except Exception as error:  # any reader's error means: unreadable
        raise InputError(f"cannot read {file}: {error}") from error


def check_headers(files: list[Path], id_variable: str) -> list[str]:
    """The first file's columns; refuses files without ``id_variable`` or with
    columns unlike the first's."""
    header: list[str] | None = None
    for file in files:
        columns = _columns(file)
        if id_variable not in columns:
            raise InputError(f"{file} has no {id_variable} column")
        if header is not None and set(columns) != set(header):
            raise InputError(f"{file}: its columns differ from those of {files[0]}")
        header = columns
    assert header is not None
    return header


def parquet_partitions(
    files: list[Path], partition_rows: int
) -> list[ParquetPartition]:
    """Split Parquet files into partitions of whole row groups, about
    ``partition_rows`` rows each (a larger row group is a partition on its own)."""
    partitions: list[ParquetPartition] = []
    for file in files:
        metadata = pq.ParquetFile(file).metadata
        groups: list[int] = []
        rows = 0
        for group in range(metadata.num_row_groups):
            groups.append(group)
            rows += metadata.row_group(group).num_rows
            if rows >= partition_rows:
                partitions.append(ParquetPartition(str(file), tuple(groups)))
                groups, rows = [], 0
        if groups:
            partitions.append(ParquetPartition(str(file), tuple(groups)))
    return partitions


def read_input(
    files: list[Path], id_variable: str, blocksize: str, partition_rows: int
) -> list[Any]:
    """The partitions of ``files``: :class:`ParquetPartition` s, or lazy CSV frames.

    Checks each file's header first. CSV cells are read as text (the Id as an
    integer) and turned into numbers cell by cell when they are priced
    (:func:`regression_model.batch.score.score_frame`), so a bad cell never makes a
    partition fail; a CSV partition is ``blocksize`` bytes of text. Parquet columns
    keep the types the file stores (no conversion), and a partition is whole row
    groups, about ``partition_rows`` rows.
    """
    header = check_headers(files, id_variable)
    if SUFFIXES[files[0].suffix.lower()] == "parquet":
        return list(parquet_partitions(files, partition_rows))
    dtype = {c: "object" for c in header if c != id_variable}
    data = dd.read_csv(
        [str(file) for file in files],
        dtype=dtype,
        blocksize=blocksize,
        assume_missing=False,
    )
    return list(data.to_delayed())
