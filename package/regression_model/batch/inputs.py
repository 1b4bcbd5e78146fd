"""The batch job's input: which files, whether their headers agree, and partitions.

A partition is one chunk of the input, priced by one task: whole row groups of a
Parquet file, about ``--partition-rows`` rows (:class:`ParquetPartition`), or about
``--blocksize`` bytes of a CSV file, whole lines (:class:`CsvBlock`). Many small
files are grouped, so that a task is never a handful of rows
(:class:`GroupedPartition`). A task carries only the partition's address; the
worker reads it itself, as an Arrow table of the columns the job needs (``select``:
:func:`regression_model.batch.columnar.columns_to_read`), never converting a label
to a Python object. Everything the client does here reads headers, footers and
file sizes only, never the rows, so its memory stays small whatever the input.

A CSV block is read by Arrow's CSV reader with pandas' reading of a cell (the same
missing values, every cell text); a block Arrow cannot parse (a short row, say,
which pandas fills with missing values) is read by pandas instead, whose error, if
any, is the job's. As with Dask's CSV blocks, a quoted value may not span lines.
"""

from __future__ import annotations

import glob
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from dask.utils import parse_bytes

from regression_model.batch.arrow_columns import is_plain_text

SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
DEFAULT_BLOCKSIZE = "16MB"
DEFAULT_PARTITION_ROWS = 100_000
# pandas' default missing values of read_csv (pandas._libs.parsers.STR_NA_VALUES;
# a test keeps the two equal): a CSV cell reads as missing exactly as in pandas.
NA_VALUES = (
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND",
    "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
)  # fmt: skip

# The columns a partition reads: given a file's column names and types (None for a
# CSV: all text), each column to read as (position, name to give it).
Select = Callable[[Sequence[Any], Sequence[pa.DataType] | None], list[tuple[int, str]]]


class InputError(Exception):
    """The input cannot be read: the message names the file and the problem."""


def every_column(
    names: Sequence[Any], types: Sequence[pa.DataType] | None
) -> list[tuple[int, str]]:
    """The default selection: every column, under its own name."""
    return [(position, str(name)) for position, name in enumerate(names)]


@dataclass(frozen=True)
class ParquetPartition:
    """Consecutive row groups of one Parquet file: one partition of the job."""

    path: str
    row_groups: tuple[int, ...]

    def read(self, select: Select = every_column, *, encoded: bool = False) -> pa.Table:
        """The selected columns of these row groups, typed as the file stores them
        (``encoded``: text columns dictionary-encoded, as Parquet stores them)."""
        schema = pq.read_schema(self.path)
        picks = select(schema.names, schema.types)
        names = [schema.names[position] for position, _ in picks]
        text = [name for name in names if is_plain_text(schema.field(name).type)]
        file = pq.ParquetFile(self.path, read_dictionary=text if encoded else None)
        # one thread: a worker is one core's worth of work, and its neighbours
        # already keep the other cores busy
        table = file.read_row_groups(
            list(self.row_groups),
            columns=names,
            use_threads=False,
        )
        return table.rename_columns([name for _, name in picks])


@dataclass(frozen=True)
class CsvBlock:
    """The lines of a CSV file that start in bytes ``[start, stop)``, as text.

    ``names`` are the file's column names as pandas reads its header (a repeated
    name ``X`` is ``X.1``), so that a block is read like the whole file.
    """

    path: str
    start: int
    stop: int
    names: tuple[str, ...]

    def read(self, select: Select = every_column, *, encoded: bool = False) -> pa.Table:
        """The selected columns of the block's rows, every cell text (or null).

        Never encoded (``encoded`` is for a common call): Arrow's CSV reader takes
        longer to dictionary-encode a column than to encode it after.
        """
        picks = select(self.names, None)
        text = self._text()
        try:
            table = pacsv.read_csv(
                pa.BufferReader(text),
                read_options=pacsv.ReadOptions(
                    column_names=[str(n) for n in range(len(self.names))],
                    skip_rows=1,
                    use_threads=False,
                    block_size=max(len(text), 1 << 20),  # one chunk per column
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={str(position): pa.string() for position, _ in picks},
                    include_columns=[str(position) for position, _ in picks],
                    null_values=list(NA_VALUES),
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
        except pa.ArrowInvalid:
            table = self._read_with_pandas(text, picks)
        return table.rename_columns([name for _, name in picks])

    def _text(self) -> bytes:
        """The header line, then the block's lines (the one under way at
        ``start`` belongs to the block before; the one under way at ``stop``, to
        this one)."""
        with open(self.path, "rb") as file:
            header = file.readline()
            begin = max(self.start, len(header))
            if begin > len(header):
                file.seek(begin - 1)
                file.readline()
                begin = file.tell()
            if begin >= self.stop:
                return header
            file.seek(begin)
            body = file.read(self.stop - begin)
            if body and not body.endswith(b"\n"):
                body += file.readline()
        return header + body

    def _read_with_pandas(self, text: bytes, picks: list[tuple[int, str]]) -> pa.Table:
        """pandas' reading of the block, every cell text (its ParserError, if any,
        propagates: the job reports the file)."""
        frame = pd.read_csv(io.BytesIO(text), dtype=object, encoding="utf-8")
        chosen = frame.iloc[:, [position for position, _ in picks]]
        chosen = chosen.set_axis([str(position) for position, _ in picks], axis=1)
        schema = pa.schema([(str(position), pa.string()) for position, _ in picks])
        return pa.Table.from_pandas(chosen, schema=schema, preserve_index=False)


@dataclass(frozen=True)
class GroupedPartition:
    """Several small parts (row groups of Parquet files, or CSV files) read as one
    partition."""

    parts: tuple[ParquetPartition, ...] | tuple[CsvBlock, ...]

    def read(self, select: Select = every_column, *, encoded: bool = False) -> pa.Table:
        """The rows of every part, in order (columns matched by name)."""
        tables = [part.read(select, encoded=encoded) for part in self.parts]
        return pa.concat_tables(tables, promote_options="permissive")


Partition = ParquetPartition | CsvBlock | GroupedPartition


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
    return next(iter(_headers(files, id_variable).values()))


def _headers(files: list[Path], id_variable: str) -> dict[Path, list[str]]:
    """Each file's columns, checked: every file has ``id_variable`` and the
    columns of the first."""
    headers: dict[Path, list[str]] = {}
    for file in files:
        columns = _columns(file)
        if id_variable not in columns:
            raise InputError(f"{file} has no {id_variable} column")
        if headers and set(columns) != set(headers[files[0]]):
            raise InputError(f"{file}: its columns differ from those of {files[0]}")
        headers[file] = columns
    return headers


def _one(parts: list[Any]) -> Any:
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
    headers: dict[Path, list[str]], blocksize: int
) -> list[CsvBlock | GroupedPartition]:
    """Cut CSV files (``headers``: each file's column names, in input order) into
    blocks of ``blocksize`` bytes; smaller files are grouped into partitions of
    about that many bytes. In input order."""
    partitions: list[CsvBlock | GroupedPartition] = []
    pending: list[CsvBlock] = []  # small files, not yet enough
    pending_size = 0
    for file, names in headers.items():
        size = file.stat().st_size
        if size < blocksize:
            pending.append(CsvBlock(str(file), 0, size, tuple(names)))
            pending_size += size
            if pending_size >= blocksize:
                partitions.append(_one(pending))
                pending, pending_size = [], 0
            continue
        if pending:  # the small files before this one, as they are
            partitions.append(_one(pending))
            pending, pending_size = [], 0
        partitions.extend(
            CsvBlock(str(file), start, min(start + blocksize, size), tuple(names))
            for start in range(0, size, blocksize)
        )
    if pending:
        partitions.append(_one(pending))
    return partitions


def read_input(
    files: list[Path], id_variable: str, blocksize: str, partition_rows: int
) -> list[Partition]:
    """The partitions of ``files``: row groups of Parquet files, or CSV blocks.

    Checks each file's header first. A CSV cell is read as text (the Id too) and
    turned into a number when it is priced
    (:func:`regression_model.batch.columnar.encode`), so a bad cell or Id never
    makes a partition fail; a CSV partition is ``blocksize`` bytes of lines.
    Parquet columns keep the types the file stores (no conversion), and a
    partition is whole row groups, about ``partition_rows`` rows.
    """
    headers = _headers(files, id_variable)
    if SUFFIXES[files[0].suffix.lower()] == "parquet":
        return list(parquet_partitions(files, partition_rows))
    return list(csv_partitions(headers, parse_bytes(blocksize)))
