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

How it scales: the input is cut into partitions (:mod:`.inputs`); one task per
partition prices it with a model that worker loaded once and writes it to its own
file (:mod:`.score`), into a staging folder that replaces the output only when every
task succeeded (:mod:`.output`). Nothing but a few counters comes back to the
client, so the input may be far larger than any worker's memory.
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

from regression_model.batch.cluster import dask_client
from regression_model.batch.inputs import (
    DEFAULT_BLOCKSIZE,
    DEFAULT_PARTITION_ROWS,
    InputError,
    input_files,
    read_input,
)
from regression_model.batch.output import count_output, staged_output
from regression_model.batch.score import PartitionReport, score_partition
from regression_model.config import load_config


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

    One task per partition reads it, prices it and writes ``part.NNNNNN.parquet``;
    the files replace those of ``output`` only when every task has succeeded.

    Raises
    ------
    InputError
        When the input cannot be read (before any cluster starts when a file or a
        header is wrong; when a task fails to parse its partition, after).
    """
    id_variable = load_config().model.id_variable
    start = time.perf_counter()
    partitions = read_input(
        input_files(input_pattern), id_variable, blocksize, partition_rows
    )
    folder = str(trained_dir.resolve()) if trained_dir else None
    score = delayed(score_partition, pure=True)
    with staged_output(output) as staging:
        tasks = [
            score(part, str(staging / f"part.{n:06d}.parquet"), folder, id_variable)
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
    rows, priced = count_output(output)
    return Summary(
        rows, priced, time.perf_counter() - start, scoring, partitions=tuple(reports)
    )


def parser() -> argparse.ArgumentParser:
    """The job's command line: its flags and their defaults."""
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
        help="the trained folder (default: the package's own)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: exit 0 if all rows are priced, 1 if some failed, 2 on bad input."""
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
    except InputError as error:
        print(error, file=sys.stderr)
        return 2
    print(summary)
    print(f"-> {args.output}")
    return 1 if summary.with_errors else 0
