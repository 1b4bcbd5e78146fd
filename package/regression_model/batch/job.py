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
had errors, 2 (one line, before any work) when an argument is wrong, the input
cannot be read, the model cannot be loaded or the output is not the job's own.

The output folder must be new, empty or written by this job before
(:mod:`.output`); the job never deletes a file it did not write, and
``_manifest.json`` records the package version and plan SHA-256 that priced it.

How it scales: the input is cut into partitions (:mod:`.inputs`); the client reads
the model once and ships it to the workers, and one task per partition prices it
and writes it to its own file (:mod:`.score`), into a staging folder that replaces
the output's parts only when every task succeeded (:mod:`.output`). Nothing but a
few counters comes back to the client, so the input may be far larger than any
worker's memory.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from dask import delayed
from dask.distributed import progress
from dask.utils import parse_bytes

from regression_model.batch.cluster import dask_client
from regression_model.batch.inputs import (
    DEFAULT_BLOCKSIZE,
    DEFAULT_PARTITION_ROWS,
    InputError,
    input_files,
    read_input,
)
from regression_model.batch.output import (
    OutputError,
    check_output,
    count_output,
    part_files,
    staged_output,
)
from regression_model.batch.score import (
    PartitionReport,
    ShippedModel,
    score_partition,
    ship_model,
)
from regression_model.config import load_config
from regression_model.processing.data_manager import ModelIntegrityError


class ArgumentError(Exception):
    """An argument the job cannot run with: one line, ``error: ...``."""


@dataclass(frozen=True)
class Summary:
    """What one run did, counted from the output's Parquet footers.

    ``seconds`` is the whole run, cluster start included; ``scoring_seconds`` only
    the tasks', from the first submitted to the last finished.
    """

    rows: int
    priced: int
    seconds: float
    scoring_seconds: float
    partitions: tuple[PartitionReport, ...] = ()

    @property
    def with_errors(self) -> int:
        return self.rows - self.priced

    @property
    def rows_per_second(self) -> float:
        """Rows read, priced and written per second once the cluster is up."""
        return self.rows / self.scoring_seconds if self.scoring_seconds else 0.0

    def __str__(self) -> str:
        return (
            f"rows in: {self.rows:,}  priced: {self.priced:,}  "
            f"with errors: {self.with_errors:,}  {self.rows_per_second:,.0f} rows/s  "
            f"wall time: {self.seconds:.1f} s (cluster start included)"
        )


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
) -> Summary:
    """Price every row of the input into a Parquet dataset at ``output``.

    The model is read once, here, and shipped to the workers. One task per
    partition reads it, prices it and writes ``part.NNNNNN.parquet``; the files
    replace the parts of ``output`` only when every task has succeeded.

    Raises
    ------
    ArgumentError
        When an argument is wrong or the model cannot be loaded (before any work).
    OutputError
        When the output is not the job's own, holds the input, or another run is
        writing it (before any work).
    InputError
        When the input cannot be read (before any cluster starts when a file or a
        header is wrong; when a task fails to parse its partition, after).
    """
    check_arguments(workers, blocksize, partition_rows, trained_dir)
    id_variable = load_config().model.id_variable
    start = time.perf_counter()
    files = input_files(input_pattern)
    check_output(output, files)
    model = _shipped(trained_dir)
    partitions = read_input(files, id_variable, blocksize, partition_rows)
    score = delayed(score_partition, pure=True)
    shipped = delayed(model, pure=True)  # one node of the graph: sent once a worker
    manifest: dict[str, object] = {
        **model.record(),
        "input": input_pattern,
        "input_files": len(files),
    }
    with staged_output(output, manifest) as staging:
        tasks = [
            score(part, str(staging / f"part.{n:06d}.parquet"), shipped, id_variable)
            for n, part in enumerate(partitions)
        ]
        with dask_client(scheduler, workers) as client:
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
        manifest |= {
            "rows": sum(report.rows for report in reports),
            "priced": sum(report.priced for report in reports),
            "parts": [part.name for part in part_files(staging)],
        }
    rows, priced = count_output(output)
    return Summary(
        rows, priced, time.perf_counter() - start, scoring, partitions=tuple(reports)
    )


def check_arguments(
    workers: int | None,
    blocksize: str,
    partition_rows: int,
    trained_dir: Path | None,
) -> None:
    """Refuse, in one line, an argument the job cannot run with."""
    if workers is not None and workers < 1:
        raise ArgumentError(f"error: --workers: must be 1 or more, got {workers}")
    if partition_rows < 1:
        raise ArgumentError(
            f"error: --partition-rows: must be 1 or more, got {partition_rows}"
        )
    try:
        size = parse_bytes(blocksize)
    except (ValueError, TypeError):
        size = 0
    if size < 1:
        raise ArgumentError(
            f"error: --blocksize: not a size such as 16MB, got {blocksize[:80]!r}"
        )
    if trained_dir is not None and not trained_dir.is_dir():
        raise ArgumentError(f"error: {trained_dir}: no such trained folder")


def _shipped(trained_dir: Path | None) -> ShippedModel:
    """The model, read once; a missing or broken one is an argument error."""
    try:
        return ship_model(trained_dir.resolve() if trained_dir else None)
    except (FileNotFoundError, ModelIntegrityError) as error:
        folder = trained_dir if trained_dir else "the trained folder"
        detail = str(error).replace("\n", " ")[:300]
        raise ArgumentError(f"error: {folder}: no usable model ({detail})") from error


def parser() -> argparse.ArgumentParser:
    """The job's command line: its flags and their defaults."""
    parser = argparse.ArgumentParser(
        description="Price houses from CSV or Parquet on a Dask cluster."
    )
    parser.add_argument(
        "--input", required=True, help="a CSV or Parquet file, a folder or a glob"
    )
    parser.add_argument(
        "--output",
        type=Path,
        required=True,
        help="folder for the Parquet dataset: new, empty or written by this job",
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
        help="the trained folder (default: the package's own)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: exit 0 if all rows are priced, 1 if some failed, 2 on a bad
    argument, input, model or output (one line, nothing written)."""
    args = parser().parse_args(argv)
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
    except (ArgumentError, OutputError, InputError) as error:
        print(error, file=sys.stderr)
        return 2
    print(summary)
    print(f"-> {args.output}")
    return 1 if summary.with_errors else 0
