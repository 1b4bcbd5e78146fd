"""Make a large input from test.csv, and measure how fast the batch job prices it.

Two commands (run after training; ``make batch`` runs the first and the job)::

    python package/scripts/benchmark_batch.py generate --rows 2000000 \\
        --output batch/houses.parquet
    python package/scripts/benchmark_batch.py measure --input batch/houses.parquet \\
        [--rows N] [--repeat N] [--trained-dir DIR] [--skip-dask]

``measure`` prices the same rows several ways and prints one table: rows/s, CPU
seconds per million rows, and each figure's ratio to the *floor*
(:mod:`batch_floor`: pyarrow reads only the Id and the plan's numeric inputs, one
core, ``exp(X @ w + b)``, Parquet out; the speed limit of the machine). Against it:
one process doing a worker's work partition by partition without Dask (read, price
with the plan, write), and the Dask job on a ``LocalCluster`` of 1 and of 2 workers
(Parquet in, Parquet out), scoring only and whole run (cluster start included).
Then the same rows as one CSV file, clean and dirty (blank cells, ``7.0``, unseen
labels, bad cells): pandas' ``read_csv`` of it against the job on it, in one process
and on 2 workers. ``--repeat N`` runs all of them interleaved N times and prints
medians (min - max); ``--skip-dask`` leaves Dask out, for a quick run. After the
table: the peak resident memory of every worker and where the workers' time went
(reading, pricing, writing, outside the tasks) in the last Dask runs, and the load
average before and after, since other processes share the machine's cores.

The probes of memory and CPU time are this script's, not the job's: it starts the
cluster itself, runs the job against its address, and asks the workers before and
after.
"""

from __future__ import annotations

import argparse
import functools
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from batch_floor import (
    PARQUET_LINES,
    Timing,
    csv_lines,
    floor,
    median_rate,
    read_csv,
    table,
    write_csv,
)
from threadpoolctl import threadpool_limits

from regression_model.batch.cluster import dask_client
from regression_model.batch.inputs import (
    DEFAULT_BLOCKSIZE,
    DEFAULT_PARTITION_ROWS,
    read_input,
)
from regression_model.batch.job import Summary, run
from regression_model.batch.score import score_partition, worker_model
from regression_model.predict import load_model
from regression_model.serving.plan import ScoringPlan

TEST_CSV = Path(__file__).resolve().parents[2] / "data" / "test.csv"
ROW_GROUP_ROWS = 100_000


def generate(
    rows: int,
    output: Path,
    source: Path = TEST_CSV,
    chunk_rows: int = ROW_GROUP_ROWS,
) -> None:
    """Write ``rows`` houses to one Parquet file: test.csv over and over, new Ids.

    Written chunk by chunk (one row group each, one partition of the job), so
    memory stays that of a chunk.
    """
    test = pd.read_csv(source)
    tiled = pd.concat([test] * (chunk_rows // len(test) + 1), ignore_index=True).head(
        chunk_rows
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_suffix(".partial")
    writer: pq.ParquetWriter | None = None
    try:
        for first in range(0, rows, chunk_rows):
            chunk = tiled.head(min(chunk_rows, rows - first)).copy()
            chunk["Id"] = range(first + 1, first + 1 + len(chunk))
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if writer is None:
                writer = pq.ParquetWriter(partial, table.schema)
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    partial.replace(output)  # a half-written file never passes for the input


def single_process(files: list[Path], trained_dir: Path | None) -> Timing:
    """One process pricing ``files`` as a worker does, partition by partition
    (read, price with the plan, write; the model loaded once), without Dask; one
    BLAS thread, as Dask's nanny gives a worker (``OPENBLAS_NUM_THREADS=1``)."""
    folder = str(trained_dir.resolve()) if trained_dir else None
    rows = priced = 0
    with tempfile.TemporaryDirectory() as output, threadpool_limits(1):
        cpu, start = time.process_time(), time.perf_counter()
        worker_model(folder)
        partitions = read_input(files, "Id", DEFAULT_BLOCKSIZE, DEFAULT_PARTITION_ROWS)
        for number, partition in enumerate(partitions):
            report = score_partition(
                partition, f"{output}/{number}.parquet", folder, "Id"
            )
            rows, priced = rows + report.rows, priced + report.priced
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return Timing(rows, seconds, cpu, priced=priced)


def peak_memory_mib(dask_worker: Any) -> float:
    """The highest resident memory a worker's monitor has sampled, in MiB."""
    return float(max(dask_worker.monitor.quantities["memory"], default=0)) / 2**20


def process_cpu_seconds() -> float:
    """CPU seconds this process has used, all its threads together."""
    return time.process_time()


@dataclass(frozen=True)
class Probes:
    """A run of the job on a ``LocalCluster`` this script started, and what its
    probes read: each worker's peak memory and CPU seconds, this process's (the
    client's and the scheduler's) CPU seconds, and the seconds of the whole run,
    cluster start and stop included."""

    summary: Summary
    worker_peak_mib: list[float]
    worker_cpu_seconds: list[float]
    client_cpu_seconds: float
    whole_seconds: float

    def timing(self) -> Timing:
        """Scoring seconds (start excluded), the whole run's, the workers' CPU."""
        summary = self.summary
        return Timing(
            summary.rows,
            summary.scoring_seconds,
            sum(self.worker_cpu_seconds),
            whole_seconds=self.whole_seconds,
            priced=summary.priced,
        )


def probed_run(
    source: Path, output: Path, workers: int, trained_dir: Path | None
) -> Probes:
    """Run the job on a new cluster of ``workers`` and read the probes around it."""
    start = time.perf_counter()
    with dask_client(None, workers) as client:
        cpu_before = client.run(process_cpu_seconds)
        client_cpu = time.process_time()  # this process hosts the scheduler
        summary = run(
            str(source),
            output,
            scheduler=client.scheduler_info()["address"],
            trained_dir=trained_dir,
            show_progress=False,
        )
        client_cpu = time.process_time() - client_cpu
        cpu_after = client.run(process_cpu_seconds)
        peaks = list(client.run(peak_memory_mib).values())
    cpu = [cpu_after[w] - cpu_before.get(w, 0.0) for w in cpu_after]
    return Probes(summary, peaks, cpu, client_cpu, time.perf_counter() - start)


def profile(probes: Probes, workers: int) -> str:
    """Where the workers' time went: the tasks' stages, and the rest (scheduling,
    idle workers, start of the first task); then CPU seconds, which show how much
    of the wall time the workers actually had a core."""
    summary = probes.summary
    partitions = summary.partitions
    read = sum(p.read_seconds for p in partitions)
    score = sum(p.score_seconds for p in partitions)
    write = sum(p.write_seconds for p in partitions)
    task_cpu = sum(p.cpu_seconds for p in partitions)
    busy = read + score + write
    available = summary.scoring_seconds * workers
    workers_cpu = sum(probes.worker_cpu_seconds)
    return (
        f"    workers' wall time {available:.1f} s = read {read:.1f} + price "
        f"{score:.1f} + write {write:.1f} + outside tasks {available - busy:.1f} "
        f"({len(partitions)} tasks)\n"
        f"    CPU: tasks {task_cpu:.1f} s, worker processes {workers_cpu:.1f} s "
        f"({summary.rows / workers_cpu:,.0f} rows per CPU second), "
        f"client and scheduler {probes.client_cpu_seconds:.1f} s"
    )


def load() -> str:
    one, five, _ = os.getloadavg()
    return (
        f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} cores"
    )


def measure(
    source: Path,
    rows: int | None,
    trained_dir: Path | None,
    repeat: int,
    skip_dask: bool = False,
) -> None:
    """Print one table of rows/s, CPU s per million rows and ratio to the floor of
    the floor, the single-process job and the job on 1 and 2 Dask workers; then
    the job against pandas' read_csv on a clean and a dirty CSV of the same rows.
    Configurations run interleaved, ``repeat`` times; the table shows medians."""
    numerical = cast(ScoringPlan, load_model(trained_dir)).numerical
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        sample = folder / "input.parquet"
        if rows is not None:  # a slice, in row groups like generate's
            first = pq.ParquetFile(source).read().slice(0, rows)
            pq.write_table(first, sample, row_group_size=ROW_GROUP_ROWS)
            del first
        else:
            sample = source
        csvs = {"clean": folder / "clean.csv", "dirty": folder / "dirty.csv"}
        for kind, csv in csvs.items():
            write_csv(sample, csv, make_dirty=kind == "dirty")
        metadata = pq.ParquetFile(sample).metadata
        print(
            f"{metadata.num_rows:,} rows in {metadata.num_row_groups} row groups "
            f"from {source}; before: {load()}"
        )
        outputs = iter(range(10**9))

        def output() -> Path:  # a new folder for every run of the job
            return folder / f"out-{next(outputs)}"

        last: dict[str, Probes] = {}  # each Dask configuration's last run

        def dask(name: str, input_file: Path, workers: int) -> Timing:
            last[name] = probed_run(input_file, output(), workers, trained_dir)
            return last[name].timing()

        configurations: dict[str, Callable[[], Timing]] = {
            "floor": lambda: floor(sample, numerical, output()),
            "single": lambda: single_process([sample], trained_dir),
        }
        if not skip_dask:
            configurations |= {
                "dask 1": functools.partial(dask, "dask 1", sample, 1),
                "dask 2": functools.partial(dask, "dask 2", sample, 2),
            }
        for kind, csv in csvs.items():
            configurations[f"{kind} read_csv"] = functools.partial(read_csv, csv)
            configurations[f"{kind} single"] = functools.partial(
                single_process, [csv], trained_dir
            )
            if not skip_dask:
                name = f"{kind} dask 2"
                configurations[name] = functools.partial(dask, name, csv, 2)
        runs: dict[str, list[Timing]] = {name: [] for name in configurations}
        for attempt in range(1, repeat + 1):
            for name, configuration in configurations.items():
                runs[name].append(configuration())
                print(f"  run {attempt} of {repeat}: {name} done", flush=True)
        report(runs, repeat, {kind: csv.stat().st_size for kind, csv in csvs.items()})
        for name, probes in last.items():
            peaks = ", ".join(f"{mib:,.0f} MiB" for mib in probes.worker_peak_mib)
            print(f"last run of {name}: peak memory per worker {peaks}")
            print(profile(probes, len(probes.worker_peak_mib)))
    print(f"after: {load()}")


def report(runs: dict[str, list[Timing]], repeat: int, sizes: dict[str, int]) -> None:
    """The table: Parquet configurations against the floor, CSV against read_csv."""
    print(
        f"\n  {'configuration':<41} {'rows/s':>11} {'(min - max)':^23} "
        f"{'CPU s/M':>8} {'ratio':>7}  priced   (median of {repeat})"
    )
    print("Parquet in, Parquet out (ratio: to the floor's rows/s)")
    print("\n".join(table(runs, PARQUET_LINES)))
    if "dask 1" in runs:
        one, two = runs["dask 1"], runs["dask 2"]
        print(
            f"  2 workers / 1 worker: scoring "
            f"{median_rate(two, False) / median_rate(one, False):.2f}x, whole run "
            f"{median_rate(two, True) / median_rate(one, True):.2f}x"
        )
    for kind, size in sizes.items():
        print(f"{kind} CSV, {size / 2**20:,.0f} MiB (ratio: to pandas' read_csv)")
        print("\n".join(table(runs, csv_lines(kind))))
    print(
        "CPU s/M: CPU seconds per million rows; this process's for the floor, the "
        "single process and read_csv, the workers' for Dask."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="write a large Parquet input")
    make.add_argument("--rows", type=int, default=2_000_000)
    make.add_argument("--output", type=Path, required=True)
    bench = commands.add_parser("measure", help="rows/s of each configuration")
    bench.add_argument("--input", type=Path, required=True)
    bench.add_argument(
        "--rows", type=int, default=None, help="only the first ROWS (default: all)"
    )
    bench.add_argument(
        "--repeat", type=int, default=1, help="runs of each, interleaved"
    )
    bench.add_argument("--trained-dir", type=Path, default=None)
    bench.add_argument(
        "--skip-dask", action="store_true", help="no Dask runs: a quick check"
    )
    args = parser.parse_args(argv)
    if args.command == "generate":
        if args.output.exists():
            print(f"{args.output} exists: kept")
        else:
            generate(args.rows, args.output)
            print(f"wrote {args.rows:,} rows -> {args.output}")
    else:
        measure(args.input, args.rows, args.trained_dir, args.repeat, args.skip_dask)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
