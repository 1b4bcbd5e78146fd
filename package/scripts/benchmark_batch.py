"""Make a large input from test.csv, and measure how fast the batch job prices it.

Two commands (run after training; ``make batch`` runs the first and the job)::

    python package/scripts/benchmark_batch.py generate --rows 2000000 \\
        --output batch/houses.parquet
    python package/scripts/benchmark_batch.py measure --input batch/houses.parquet \\
        [--rows N] [--repeat N] [--trained-dir DIR]

``measure`` prices the same rows three ways and prints rows/s for each: one process
doing a worker's work partition by partition without Dask (read, price with the
plan, write), the Dask job on a ``LocalCluster`` of 1 worker, and of 2 workers
(Parquet in, Parquet out, cluster start excluded), with the peak resident memory of
every worker, where the workers' time went (reading, pricing, writing, outside the
tasks) and the machine's load average, since other processes share its cores.

The probes of memory and CPU time are this script's, not the job's: it starts the
cluster itself, runs the job against its address, and asks the workers before and
after.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from regression_model.batch.cluster import dask_client
from regression_model.batch.inputs import DEFAULT_PARTITION_ROWS, parquet_partitions
from regression_model.batch.job import Summary, run
from regression_model.batch.score import score_partition, worker_model

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


def single_process(source: Path, trained_dir: Path | None) -> tuple[int, float]:
    """Rows and seconds of one process pricing the file as a worker does, partition
    by partition (read, price with the plan, write; the model loaded once), without
    Dask."""
    folder = str(trained_dir.resolve()) if trained_dir else None
    rows = 0
    with tempfile.TemporaryDirectory() as output:
        start = time.perf_counter()
        worker_model(folder)
        for number, partition in enumerate(
            parquet_partitions([source], DEFAULT_PARTITION_ROWS)
        ):
            target = f"{output}/{number}.parquet"
            rows += score_partition(partition, target, folder, "Id").rows
        seconds = time.perf_counter() - start
    return rows, seconds


def peak_memory_mib(dask_worker: Any) -> float:
    """The highest resident memory a worker's monitor has sampled, in MiB."""
    return float(max(dask_worker.monitor.quantities["memory"], default=0)) / 2**20


def process_cpu_seconds() -> float:
    """CPU seconds this process has used, all its threads together."""
    return time.process_time()


@dataclass(frozen=True)
class Probes:
    """A run of the job on a ``LocalCluster`` this script started, and what its
    probes read: each worker's peak memory and CPU seconds, and this process's
    (the client's and the scheduler's) CPU seconds."""

    summary: Summary
    worker_peak_mib: list[float]
    worker_cpu_seconds: list[float]
    client_cpu_seconds: float


def probed_run(
    source: Path, output: Path, workers: int, trained_dir: Path | None
) -> Probes:
    """Run the job on a new cluster of ``workers`` and read the probes around it."""
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
    return Probes(summary, peaks, cpu, client_cpu)


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
    source: Path, rows: int | None, trained_dir: Path | None, repeat: int
) -> None:
    """Print rows/s of the single-process path and of the job on 1 and 2 workers."""
    with tempfile.TemporaryDirectory() as folder:
        if rows is not None:  # a slice, in row groups like generate's
            sample = Path(folder) / "input.parquet"
            table = pq.ParquetFile(source).read().slice(0, rows)
            pq.write_table(table, sample, row_group_size=ROW_GROUP_ROWS)
            del table
        else:
            sample = source
        metadata = pq.ParquetFile(sample).metadata
        print(
            f"{metadata.num_rows:,} rows in {metadata.num_row_groups} row groups "
            f"from {source}; {load()}"
        )
        for attempt in range(1, repeat + 1):
            print(f"run {attempt} of {repeat}")
            count, seconds = single_process(sample, trained_dir)
            print(
                f"  single process, the plan path partition by partition (no Dask): "
                f"{count / seconds:,.0f} rows/s ({seconds:.1f} s)"
            )
            for workers in (1, 2):
                output = Path(folder) / f"out-{workers}"
                probes = probed_run(sample, output, workers, trained_dir)
                summary = probes.summary
                peaks = ", ".join(f"{mib:,.0f} MiB" for mib in probes.worker_peak_mib)
                print(
                    f"  dask, {workers} worker(s): {summary.rows_per_second:,.0f} "
                    f"rows/s ({summary.scoring_seconds:.1f} s); "
                    f"peak memory per worker: {peaks}"
                )
                print(profile(probes, workers))
            print(f"  {load()}")


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
    bench.add_argument("--repeat", type=int, default=1, help="runs of all three")
    bench.add_argument("--trained-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.command == "generate":
        if args.output.exists():
            print(f"{args.output} exists: kept")
        else:
            generate(args.rows, args.output)
            print(f"wrote {args.rows:,} rows -> {args.output}")
    else:
        measure(args.input, args.rows, args.trained_dir, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
