"""Make a large input from test.csv, and measure how fast the batch job prices it.

Two commands (run after training; ``make batch`` runs the first and the job)::

    python package/scripts/benchmark_batch.py generate --rows 2000000 \\
        --output batch/houses.parquet
    python package/scripts/benchmark_batch.py measure --input batch/houses.parquet \\
        [--rows 200000] [--trained-dir DIR]

``measure`` prices the same rows three ways and prints rows/s for each: one process
calling ``make_prediction`` on the whole frame, the Dask job on a ``LocalCluster`` of
1 worker, and of 2 workers (Parquet in, Parquet out, cluster start excluded), with
the peak resident memory of every worker.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from regression_model.batch import run
from regression_model.predict import load_model, make_prediction

TEST_CSV = Path(__file__).resolve().parents[2] / "data" / "test.csv"


def generate(rows: int, output: Path, source: Path = TEST_CSV) -> None:
    """Write ``rows`` houses to one Parquet file: test.csv over and over, new Ids.

    Written chunk by chunk (one row group each), so memory stays that of a chunk.
    """
    test = pd.read_csv(source)
    chunk_rows = 20_000  # one row group, one partition of the job
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


def measure(source: Path, rows: int, trained_dir: Path | None) -> None:
    """Print rows/s of the single-process path and of the job on 1 and 2 workers."""
    with tempfile.TemporaryDirectory() as folder:
        sample = Path(folder) / "input.parquet"
        data = pq.ParquetFile(source).read().slice(0, rows).to_pandas()
        data.to_parquet(sample, index=False, row_group_size=10_000)
        print(f"{len(data):,} rows from {source}")

        model = load_model(trained_dir)
        start = time.perf_counter()
        make_prediction(data, model=model)
        seconds = time.perf_counter() - start
        print(
            f"single process, make_prediction on the whole frame: "
            f"{len(data) / seconds:,.0f} rows/s ({seconds:.1f} s)"
        )
        del data

        for workers in (1, 2):
            summary = run(
                str(sample),
                Path(folder) / f"out-{workers}",
                workers=workers,
                trained_dir=trained_dir,
                show_progress=False,
                report_memory=True,
            )
            peaks = ", ".join(f"{mib:,.0f} MiB" for mib in summary.worker_peak_mib)
            print(
                f"dask, {workers} worker(s): {summary.rows_per_second:,.0f} rows/s "
                f"({summary.scoring_seconds:.1f} s; {summary.seconds:.1f} s with "
                f"cluster start); peak memory per worker: {peaks}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="write a large Parquet input")
    make.add_argument("--rows", type=int, default=2_000_000)
    make.add_argument("--output", type=Path, required=True)
    bench = commands.add_parser("measure", help="rows/s of each configuration")
    bench.add_argument("--input", type=Path, required=True)
    bench.add_argument("--rows", type=int, default=200_000)
    bench.add_argument("--trained-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.command == "generate":
        if args.output.exists():
            print(f"{args.output} exists: kept")
        else:
            generate(args.rows, args.output)
            print(f"wrote {args.rows:,} rows -> {args.output}")
    else:
        measure(args.input, args.rows, args.trained_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
