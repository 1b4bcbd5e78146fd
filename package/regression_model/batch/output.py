"""The batch job's output: a Parquet dataset that a failed run never leaves half done.

The tasks write their files into a staging folder beside the output
(``.<name>.partial``); only when every task has succeeded do those files replace
the Parquet files of the output, each one renamed in. A run that fails (bad input,
a full disk, a lost cluster) leaves the previous output whole.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq


@contextmanager
def staged_output(output: Path) -> Iterator[Path]:
    """A new, empty staging folder for ``output``; its files replace the output's
    when the block succeeds, and the folder is removed either way."""
    staging = output.resolve().with_name(f".{output.resolve().name}.partial")
    shutil.rmtree(staging, ignore_errors=True)  # left by a run that was killed
    staging.mkdir(parents=True)
    try:
        yield staging
        output.mkdir(parents=True, exist_ok=True)
        for stale in [*output.glob("*.parquet"), *output.glob("*.partial")]:
            stale.unlink()
        for part in sorted(staging.glob("*.parquet")):
            os.replace(part, output / part.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def count_output(output: Path) -> tuple[int, int]:
    """Rows and priced rows of the written dataset, from the Parquet footers only."""
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
