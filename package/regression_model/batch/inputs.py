"""The batch job's input: which files, whether their headers agree, and partitions.

A partition is one chunk of the input, priced by one task: ``--blocksize`` bytes of
CSV, read by Dask, or whole row groups of a Parquet file, about ``--partition-rows``
rows, which the worker reads itself (:class:`ParquetPartition`). Many small files
are grouped, so that a task is never a handful of rows: CSV files smaller than
``--blocksize`` into groups of about that many bytes (:class:`CsvFiles`), small
Parquet files into groups of about ``--partition-rows`` rows
(:class:`GroupedPartition`). Everything here reads headers, footers and file
sizes only, never the rows, so the client's memory stays small whatever the size
of the input.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dask.dataframe as dd
import pandas as pd
import pyarrow.parquet as pq
from dask.utils import parse_bytes

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


@dataclass(frozen=True)
class GroupedPartition:
    """Row groups of several small Parquet files: one partition of the job."""

    parts: tuple[ParquetPartition, ...]

    def read(self) -> pd.DataFrame:
        """The rows of every part, in order."""
        return pd.concat([part.read() for part in self.parts], ignore_index=True)


@dataclass(frozen=True)
class CsvFiles:
    """Small CSV files, read whole as text on the worker: one partition."""

    paths: tuple[str, ...]

    def read(self) -> pd.DataFrame:
        """The rows of every file, in order, every cell as text (as Dask reads)."""
        frames = [pd.read_csv(path, dtype=object) for path in self.paths]
        return pd.concat(frames, ignore_index=True)


Partition = ParquetPartition | GroupedPartition | CsvFiles


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


def _one(parts: list[ParquetPartition]) -> ParquetPartition | GroupedPartition:
    """One partition of ``parts``: the part itself when it is alone."""
    return parts[0] if len(parts) == 1 else GroupedPartition(tuple(parts))


def parquet_partitions(
    files: list[Path], partition_rows: int
) -> list[ParquetPartition | GroupedPartition]:
    """Split Parquet files into partitions of whole row groups, about
    ``partition_rows`` rows each (a larger row group is a partition on its own);
    the row groups left at the end of a file join those of the next files."""
    partitions: list[ParquetPartition | GroupedPartition] = []
    pending: list[ParquetPartition] = []  # parts of earlier files, not yet enough
    pending_rows = 0
    for file in files:
        metadata = pq.ParquetFile(file).metadata
        groups: list[int] = []
        for group in range(metadata.num_row_groups):
            groups.append(group)
            pending_rows += metadata.row_group(group).num_rows
            if pending_rows >= partition_rows:
                last = ParquetPartition(str(file), tuple(groups))
                partitions.append(_one([*pending, last]))
                pending, groups, pending_rows = [], [], 0
        if groups:
            pending.append(ParquetPartition(str(file), tuple(groups)))
    if pending:
        partitions.append(_one(pending))
    return partitions


def csv_partitions(
    files: list[Path], blocksize: int
) -> tuple[list[Path], list[CsvFiles]]:
    """The CSV files of at least ``blocksize`` bytes (for Dask to cut), and the
    smaller ones in groups of about ``blocksize`` bytes, in order."""
    large = [file for file in files if file.stat().st_size >= blocksize]
    groups: list[CsvFiles] = []
    group: list[str] = []
    size = 0
    for file in files:
        if file in large:
            continue
        group.append(str(file))
        size += file.stat().st_size
        if size >= blocksize:
            groups.append(CsvFiles(tuple(group)))
            group, size = [], 0
    if group:
        groups.append(CsvFiles(tuple(group)))
    return large, groups


def read_input(
    files: list[Path], id_variable: str, blocksize: str, partition_rows: int
) -> list[Any]:
    """The partitions of ``files``: :class:`ParquetPartition` s, or lazy CSV frames.

    Checks each file's header first. CSV cells are read as text (the Id too) and
    turned into numbers cell by cell when they are priced
    (:func:`regression_model.batch.score.score_frame`), so a bad cell or Id never
    makes a partition fail; a CSV partition is ``blocksize`` bytes of text.
    Parquet columns keep the types the file stores (no conversion), and a
    partition is whole row groups, about ``partition_rows`` rows.
    """
    header = check_headers(files, id_variable)
    if SUFFIXES[files[0].suffix.lower()] == "parquet":
        return list(parquet_partitions(files, partition_rows))
    large, small = csv_partitions(files, parse_bytes(blocksize))
    if not large:
        return list(small)
    data = dd.read_csv(
        [str(file) for file in large],
        dtype=dict.fromkeys(header, "object"),
        blocksize=blocksize,
        assume_missing=False,
    )
    return [*data.to_delayed(), *small]
