"""Price millions of houses on a Dask cluster: the model embedded in a batch job.

From the shell::

    python -m regression_model.batch --input houses.parquet --output priced/
                                     [--scheduler tcp://HOST:8786] [--workers N]
                                     [--blocksize 16MB] [--partition-rows 100000]
                                     [--trained-dir DIR]

``--input`` is a CSV or Parquet file, a folder of them or a glob; ``--output`` a
folder that receives a Parquet dataset with ``Id``, ``SalePrice`` (null for a row with
an error) and ``error`` (the row's messages, empty when none). Without
``--scheduler`` the job starts a ``LocalCluster`` on this machine; with it, the same
code runs on any Dask cluster. Exit status: 0 when every row is priced, 1 when some
had errors, 2 when the input cannot be read.

How it scales: one task per partition (``--blocksize`` bytes of CSV, or whole
Parquet row groups of about ``--partition-rows`` rows, which the worker reads
itself) prices it with :func:`make_prediction` and a model that worker loaded once,
and writes it to its own file in the output folder; nothing but a few counters comes
back to the client, so the input may be far larger than any worker's memory.
"""

from __future__ import annotations

import argparse
import glob
import inspect
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from regression_model.config import load_config
from regression_model.predict import load_model, make_prediction
from regression_model.processing.data_manager import load_metadata
from regression_model.processing.validation import numerical_columns

SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
DEFAULT_BLOCKSIZE = "16MB"
DEFAULT_PARTITION_ROWS = 100_000

# One model per worker process, keyed by its folder and the SHA-256 of its file: a
# task loads it the first time, every later task on that worker reuses it, and a
# model retrained into the same folder (another hash) is loaded afresh.
_MODELS: dict[tuple[str, str], Any] = {}
_MODELS_LOCK = threading.Lock()


class InputError(Exception):
    """The input cannot be read: the message names the file and the problem."""


@dataclass(frozen=True)
class Piece:
    """Consecutive row groups of one Parquet file: one partition of the job.

    The task carries only this address; the worker reads the rows itself, so
    nothing but a path and a few numbers goes through the scheduler.
    """

    path: str
    row_groups: tuple[int, ...]

    def read(self) -> pd.DataFrame:
        """The rows of these row groups, columns typed as the file stores them."""
        import pyarrow.parquet as pq

        # one thread: a worker is one core's worth of work, and its neighbours
        # already keep the other cores busy
        table = pq.ParquetFile(self.path).read_row_groups(
            list(self.row_groups), use_threads=False
        )
        return table.to_pandas(use_threads=False)


class PieceReport(NamedTuple):
    """What one task did: rows written and priced, and where its time went."""

    rows: int
    priced: int
    read_seconds: float
    score_seconds: float
    write_seconds: float
    cpu_seconds: float


@dataclass(frozen=True)
class Summary:
    """What one run did, counted from the output's Parquet footers."""

    rows: int
    priced: int
    seconds: float
    scoring_seconds: float
    worker_peak_mib: tuple[float, ...] = ()
    pieces: tuple[PieceReport, ...] = ()
    worker_cpu_seconds: tuple[float, ...] = ()
    client_cpu_seconds: float = 0.0

    @property
    def with_errors(self) -> int:
        return self.rows - self.priced

    def __str__(self) -> str:
        return (
            f"rows in: {self.rows:,}  priced: {self.priced:,}  "
            f"with errors: {self.with_errors:,}  {self.rows_per_second:,.0f} rows/s  "
            f"wall time: {self.seconds:.1f} s (cluster start included)"
        )

    @property
    def rows_per_second(self) -> float:
        """Rows read, priced and written per second once the cluster is up."""
        return self.rows / self.scoring_seconds if self.scoring_seconds else 0.0


def worker_model(trained_dir: str | None) -> Any:
    """The model of ``trained_dir`` for this process, loaded at most once per file.

    Uses the package's compiled scoring plan when this version of
    :func:`load_model` offers one (``engine="plan"``), its default otherwise.
    """
    metadata = load_metadata(Path(trained_dir) if trained_dir else None)
    key = (str(trained_dir), str(metadata.get("model_sha256", metadata)))
    with _MODELS_LOCK:
        if key not in _MODELS:
            options: dict[str, Any] = {}
            if "engine" in inspect.signature(load_model).parameters:
                options["engine"] = "plan"
            folder = Path(trained_dir) if trained_dir else None
            _MODELS.clear()  # one model per process: drop a superseded one
            _MODELS[key] = load_model(folder, **options)
        return _MODELS[key]


def _numbers_where_possible(column: pd.Series) -> pd.Series:
    """A text column as numbers, cell by cell; a cell that is no number stays text.

    Validation then rejects exactly that cell's row and no other (a CSV partition
    with ``GrLivArea="abc"`` in one row is not a partition of bad rows).
    """
    values = column.astype(object)
    numbers = pd.to_numeric(values, errors="coerce")
    return numbers.astype(object).where(numbers.notna() | values.isna(), values)


def score_partition(
    partition: pd.DataFrame, trained_dir: str | None, id_variable: str
) -> pd.DataFrame:
    """Price one partition: one output row per input row, in the same order.

    A pure function of the partition and the model file, so a retried partition
    writes the same rows again, never other ones.
    """
    data = partition.reset_index(drop=True)
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


def score_piece(
    piece: Piece | pd.DataFrame,
    target: str,
    trained_dir: str | None,
    id_variable: str,
) -> PieceReport:
    """Read one partition, price it and write it to the Parquet file ``target``.

    ``piece`` is a slice of a Parquet file (read here, on the worker) or a frame
    that Dask read from CSV. The file is written under a temporary name and renamed,
    so a retried task replaces its own file whole and no reader sees half of one.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    cpu = time.thread_time()
    start = time.perf_counter()
    data = piece.read() if isinstance(piece, Piece) else piece
    read = time.perf_counter()
    scored = score_partition(data, trained_dir, id_variable)
    priced = time.perf_counter()
    partial = f"{target}.partial"
    pq.write_table(pa.Table.from_pandas(scored, preserve_index=False), partial)
    os.replace(partial, target)
    written = time.perf_counter()
    return PieceReport(
        rows=len(scored),
        priced=int(scored["SalePrice"].notna().sum()),
        read_seconds=read - start,
        score_seconds=priced - read,
        write_seconds=written - priced,
        cpu_seconds=time.thread_time() - cpu,
    )


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
        import pyarrow.parquet as pq

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


def parquet_pieces(files: list[Path], partition_rows: int) -> list[Piece]:
    """Split Parquet files into pieces of whole row groups, about ``partition_rows``
    rows each (a row group larger than that is a piece on its own)."""
    import pyarrow.parquet as pq

    pieces: list[Piece] = []
    for file in files:
        metadata = pq.ParquetFile(file).metadata
        groups: list[int] = []
        rows = 0
        for group in range(metadata.num_row_groups):
            groups.append(group)
            rows += metadata.row_group(group).num_rows
            if rows >= partition_rows:
                pieces.append(Piece(str(file), tuple(groups)))
                groups, rows = [], 0
        if groups:
            pieces.append(Piece(str(file), tuple(groups)))
    return pieces


def read_input(
    files: list[Path], id_variable: str, blocksize: str, partition_rows: int
) -> list[Any]:
    """The partitions of ``files``: Parquet :class:`Piece` s, or lazy CSV frames.

    Checks each file's header first. CSV cells are read as text (the Id as an
    integer) and turned into numbers per cell in :func:`score_partition`, so a bad
    cell never makes a partition fail; a CSV partition is ``blocksize`` bytes of
    text. Parquet columns keep the types the file stores (no conversion), and a
    partition is whole row groups, about ``partition_rows`` rows.
    """
    header = check_headers(files, id_variable)
    if SUFFIXES[files[0].suffix.lower()] == "parquet":
        return list(parquet_pieces(files, partition_rows))
    import dask.dataframe as dd

    dtype = {c: "object" for c in header if c != id_variable}
    data = dd.read_csv(
        [str(file) for file in files],
        dtype=dtype,
        blocksize=blocksize,
        assume_missing=False,
    )
    return list(data.to_delayed())


@contextmanager
def dask_client(scheduler: str | None, workers: int | None) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a new local one."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    # One single-threaded process per core: pricing is Python-bound (the GIL).
    with (
        LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def peak_memory_mib(dask_worker: Any) -> float:
    """The highest resident memory a worker's monitor has sampled, in MiB."""
    return float(max(dask_worker.monitor.quantities["memory"], default=0)) / 2**20


def process_cpu_seconds() -> float:
    """CPU seconds this process has used, all its threads together."""
    return time.process_time()


def count_output(output: Path) -> tuple[int, int]:
    """Rows and priced rows of the written dataset, from the Parquet footers only."""
    import pyarrow.parquet as pq

    rows = priced = 0
    for file in sorted(output.glob("*.parquet")):
        metadata = pq.ParquetFile(file).metadata
        column = metadata.schema.names.index("SalePrice")
        for group in range(metadata.num_row_groups):
            chunk = metadata.row_group(group)
            statistics = chunk.column(column).statistics
            nulls = statistics.null_count if statistics is not None else 0
            rows += chunk.num_rows
            priced += chunk.num_rows - nulls
    return rows, priced


def run(
    input_pattern: str,
    output: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    blocksize: str = DEFAULT_BLOCKSIZE,
    partition_rows: int = DEFAULT_PARTITION_ROWS,
    trained_dir: Path | None = None,
    show_progress: bool = True,
    report_memory: bool = False,
) -> Summary:
    """Price every row of the input into a Parquet dataset at ``output``.

    One task per partition reads it, prices it and writes ``part.NNNNNN.parquet``
    into a staging folder beside ``output`` (``.<name>.partial``); only when every
    task has succeeded do the new files replace the Parquet files in ``output``
    (each one renamed in), so a run that fails — bad input, a full disk, a lost
    cluster — leaves the previous output whole. Raises :class:`InputError` when the
    input cannot be read.
    """
    from dask import delayed
    from dask.distributed import progress

    id_variable = load_config().model.id_variable
    start = time.perf_counter()
    partitions = read_input(
        input_files(input_pattern), id_variable, blocksize, partition_rows
    )
    folder = str(trained_dir.resolve()) if trained_dir else None
    staging = output.resolve().with_name(f".{output.resolve().name}.partial")
    shutil.rmtree(staging, ignore_errors=True)  # left by a run that was killed
    staging.mkdir(parents=True)
    score = delayed(score_piece, pure=True)
    tasks = [
        score(part, str(staging / f"part.{number:06d}.parquet"), folder, id_variable)
        for number, part in enumerate(partitions)
    ]
    try:
        with dask_client(scheduler, workers) as client:
            cpu_before = client.run(process_cpu_seconds) if report_memory else {}
            client_cpu = time.process_time()  # with a LocalCluster's scheduler
            scoring_start = time.perf_counter()
            futures = client.compute(tasks, retries=2)
            if show_progress:
                progress(futures)
                print()
            try:
                reports = client.gather(futures)
            except (ValueError, OSError, pd.errors.ParserError) as error:
                raise InputError(f"cannot read {input_pattern}: {error}") from error
            scoring = time.perf_counter() - scoring_start
            client_cpu = time.process_time() - client_cpu
            peaks: list[float] = []
            cpu: list[float] = []
            if report_memory:
                peaks = list(client.run(peak_memory_mib).values())
                cpu_after = client.run(process_cpu_seconds)
                cpu = [cpu_after[w] - cpu_before.get(w, 0.0) for w in cpu_after]
        output.mkdir(parents=True, exist_ok=True)
        for stale in [*output.glob("*.parquet"), *output.glob("*.partial")]:
            stale.unlink()
        for part in sorted(staging.glob("*.parquet")):
            os.replace(part, output / part.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    rows, count_priced = count_output(output)
    total = time.perf_counter() - start
    return Summary(
        rows,
        count_priced,
        total,
        scoring,
        worker_peak_mib=tuple(peaks),
        pieces=tuple(reports),
        worker_cpu_seconds=tuple(cpu),
        client_cpu_seconds=client_cpu,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: exit 0 if all rows are priced, 1 if some failed, 2 on bad input."""
    parser = argparse.ArgumentParser(
        description="Price houses from CSV or Parquet on a Dask cluster."
    )
    parser.add_argument(
        "--input", required=True, help="a CSV or Parquet file, a folder or a glob"
    )
    parser.add_argument(
        "--output", type=Path, required=True, help="folder for the Parquet dataset"
    )
    parser.add_argument(
        "--scheduler",
        default=None,
        help="address of a running Dask scheduler (default: start a LocalCluster)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="worker processes of the LocalCluster (default: one per core)",
    )
    parser.add_argument(
        "--blocksize",
        default=DEFAULT_BLOCKSIZE,
        help=f"bytes of CSV per partition (default: {DEFAULT_BLOCKSIZE})",
    )
    parser.add_argument(
        "--partition-rows",
        type=int,
        default=DEFAULT_PARTITION_ROWS,
        help="rows per Parquet partition, in whole row groups "
        f"(default: {DEFAULT_PARTITION_ROWS:,})",
    )
    parser.add_argument(
        "--trained-dir",
        type=Path,
        default=None,
        help="the trained-models folder (default: the package's trained_models/)",
    )
    args = parser.parse_args(argv)
    try:
        summary = run(
            args.input,
            args.output,
            scheduler=args.scheduler,
            workers=args.workers,
            blocksize=args.blocksize,
            partition_rows=args.partition_rows,
            trained_dir=args.trained_dir,
        )
    except InputError as error:
        print(error, file=sys.stderr)
        return 2
    print(summary)
    print(f"-> {args.output}")
    return 1 if summary.with_errors else 0


if __name__ == "__main__":
    # Run the module's own copy, not ``__main__``'s: the workers unpickle the tasks'
    # functions by their module name, and ``__main__`` on a worker is not this file.
    from regression_model.batch.job import main as batch_main

    raise SystemExit(batch_main())
