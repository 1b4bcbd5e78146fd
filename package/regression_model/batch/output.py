"""The batch job's output: a folder the job owns, replaced whole or not at all.

An output folder is the job's own: it writes only into a folder that is new, empty,
or marked by an earlier run (the file :data:`MARKER`), and refuses any other in one
line, touching nothing. So a user's own files are never deleted, and an output
that holds the input is refused before any work. Only the job's own part files
(``part.NNNNNN.parquet``) are ever replaced.

One run at a time: a run holds a lock file (:data:`LOCK`, created only if absent)
for as long as it writes, so a second run into the same output is refused, never
interleaved. The tasks write into a staging folder inside the output
(``.partial``, hidden from Parquet readers); only when every task has succeeded do
those files replace the output's parts, and ``_manifest.json`` records what priced
them. A run that fails leaves the previous output whole.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from regression_model.processing.files import atomic_write_bytes

MARKER = ".regression_model_batch"
LOCK = ".regression_model_batch.lock"
MANIFEST = "_manifest.json"
STAGING = ".partial"
PART = re.compile(r"part\.\d{6}\.parquet")


class OutputError(Exception):
    """The output cannot be written: one line, ``error: <output>: ...``."""


def part_files(folder: Path) -> list[Path]:
    """The job's own part files in ``folder``, in order (no other file)."""
    return sorted(p for p in folder.glob("part.*.parquet") if PART.fullmatch(p.name))


def check_output(output: Path, inputs: Sequence[Path]) -> None:
    """Refuse an output the job may not write, before any work.

    Raises
    ------
    OutputError
        When ``output`` is not a folder, equals or holds one of the ``inputs``, or
        holds files and no :data:`MARKER` (a folder the job never wrote).
    """
    where = output.resolve()
    for file in inputs:
        if where == file.resolve() or where in file.resolve().parents:
            raise OutputError(
                f"error: {output}: holds the input {file}; write to another folder"
            )
    if output.exists() and not output.is_dir():
        raise OutputError(f"error: {output}: exists and is not a folder")
    if output.is_dir() and not (output / MARKER).is_file() and any(output.iterdir()):
        raise OutputError(
            f"error: {output}: not empty and not written by this job (no {MARKER}); "
            "choose a new or empty folder"
        )


@contextmanager
def _locked(output: Path) -> Iterator[None]:
    """Hold ``output``'s lock file for the block; refuse if another run holds it."""
    lock = output / LOCK
    try:
        handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        holder = lock.read_text(errors="replace").strip()[:80] if lock.is_file() else ""
        raise OutputError(
            f"error: {output}: another run is writing it ({holder or 'unknown'}); "
            f"if none is, remove the stale lock {lock}"
        ) from None
    with os.fdopen(handle, "w") as file:
        file.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)


@contextmanager
def staged_output(
    output: Path, manifest: dict[str, Any] | None = None
) -> Iterator[Path]:
    """A new, empty staging folder inside ``output``, held under its lock.

    When the block succeeds, the staged part files replace the output's (other
    files are never touched) and ``manifest``, as the block left it, is written to
    ``_manifest.json``. The staging folder and the lock are removed either way.

    Raises
    ------
    OutputError
        When the output is not the job's (see :func:`check_output`) or another run
        holds its lock.
    """
    check_output(output, [])
    output.mkdir(parents=True, exist_ok=True)
    with _locked(output):
        (output / MARKER).write_text("written by python -m regression_model.batch\n")
        staging = output / STAGING
        shutil.rmtree(staging, ignore_errors=True)  # left by a run that was killed
        staging.mkdir()
        try:
            yield staging
            new = {part.name for part in part_files(staging)}
            for stale in part_files(output):
                if stale.name not in new:
                    stale.unlink()
            for part in part_files(staging):
                os.replace(part, output / part.name)
            if manifest is not None:
                text = json.dumps(manifest, indent=2) + "\n"
                atomic_write_bytes(output / MANIFEST, text.encode())
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def count_output(output: Path) -> tuple[int, int]:
    """Rows and priced rows of the written dataset, from the Parquet footers only."""
    rows = priced = 0
    for file in part_files(output):
        metadata = pq.ParquetFile(file).metadata
        column = metadata.schema.names.index("SalePrice")
        for group in range(metadata.num_row_groups):
            chunk = metadata.row_group(group)
            statistics = chunk.column(column).statistics
            nulls = statistics.null_count if statistics is not None else 0
            rows += chunk.num_rows
            priced += chunk.num_rows - nulls
    return rows, priced
