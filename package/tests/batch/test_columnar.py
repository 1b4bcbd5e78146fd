"""The batch job's Arrow path against its pandas reference, partition by partition.

The job prices a partition with :func:`~regression_model.batch.score.score_table`
(Arrow columns, :mod:`regression_model.batch.columnar`); the reference is
:func:`~regression_model.batch.score.score_frame` on what the job read before: a CSV
read by pandas with every cell text, a Parquet file read whole by pandas. For the same
rows both must give the same output, exactly: the same Ids (nulls alike), the same
prices bit for bit, the same error strings; and every price a row with a whole-number
Id gets is :func:`~regression_model.predict.make_prediction`'s for that row, in one
call on the partition. Each test below feeds one kind of cell, column or file to
:func:`assert_paths_agree`.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from regression_model.batch.columnar import columns_to_read
from regression_model.batch.inputs import Partition, read_input
from regression_model.batch.score import score_frame, score_table, worker_model
from regression_model.predict import make_prediction
from regression_model.processing.schema import DOMAINS

ID = "Id"
ROWS = 12  # test.csv rows of a dirty partition: its odd cells, then clean ones
OUTPUT = (ID, "SalePrice", "error")  # the columns of a priced partition


def old_reading(partition: Partition, path: Path, whole_file: bool) -> pd.DataFrame:
    """What the job read before the Arrow path: pandas' reading of the rows (of a
    partition: every column, typed as stored, or every CSV cell as text)."""
    if path.suffix == ".parquet":
        return (pq.read_table(path) if whole_file else partition.read()).to_pandas()
    if whole_file:
        return pd.read_csv(path, dtype=object)
    frame = partition.read().to_pandas().astype(object)
    return frame.where(frame.notna(), np.nan)


def assert_paths_agree(
    path: Path, folder: Path, blocksize: str = "16MB", partition_rows: int = 100_000
) -> list[pd.DataFrame]:
    """Price every partition of ``path`` both ways and assert the outputs identical
    and make_prediction's; return the fast path's outputs, one per partition."""
    plan = worker_model(str(folder))
    select = functools.partial(columns_to_read, plan=plan, id_variable=ID)
    partitions = read_input([path], ID, blocksize, partition_rows)
    outputs = []
    for partition in partitions:
        fast = score_table(partition.read(select, encoded=True), str(folder), ID)
        rows = old_reading(partition, path, len(partitions) == 1)
        reference = score_frame(rows, str(folder), ID)
        assert list(fast.columns) == list(reference.columns) == list(OUTPUT)
        pd.testing.assert_series_equal(fast[ID], reference[ID])
        assert str(fast[ID].dtype) == "Int64"
        np.testing.assert_array_equal(fast["SalePrice"], reference["SalePrice"])
        assert fast["error"].tolist() == reference["error"].tolist()
        # the judge: make_prediction's price, for each row whose Id is whole
        judged = make_prediction(rows, model=plan)["predictions"]
        whole = fast[ID].notna().to_numpy()
        expected = np.array([np.nan if p is None else p for p in judged])
        np.testing.assert_array_equal(fast["SalePrice"][whole], expected[whole])
        outputs.append(fast)
    return outputs


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    """``frame`` as a CSV file, every cell written as it is (None: blank)."""
    frame.to_csv(path, index=False)
    return path


def write_parquet(path: Path, table: pa.Table) -> Path:
    pq.write_table(table, path)
    return path


def with_cells(test_data: pd.DataFrame, column: str, cells: list[Any]) -> pd.DataFrame:
    """The first :data:`ROWS` houses of test.csv, ``column``'s first cells replaced."""
    frame = test_data.head(ROWS).astype(object)
    if column not in frame:
        frame[column] = None
    frame.loc[: len(cells) - 1, column] = pd.Series(cells, dtype=object)
    return frame


def with_column(test_data: pd.DataFrame, column: str, values: pa.Array) -> pa.Table:
    """The first ``len(values)`` houses of test.csv as typed Arrow columns, with
    ``column`` (new or replaced) holding ``values``, and no pandas metadata (which
    would make pandas read the column back as test.csv typed it)."""
    table = pa.Table.from_pandas(test_data.head(len(values)), preserve_index=False)
    table = table.replace_schema_metadata(None)
    if column in table.column_names:
        return table.set_column(table.column_names.index(column), column, values)
    return table.append_column(column, values)


# --- clean rows ------------------------------------------------------------------


def test_clean_test_csv_rows_price_alike_as_csv_text(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given all 1459 houses of test.csv as a CSV file
    path = write_csv(tmp_path / "houses.csv", test_data)
    # When both paths price it
    (fast,) = assert_paths_agree(path, package_trained_dir)
    # Then (asserted above) they agree, and every house is priced
    assert len(fast) == 1459
    assert fast["SalePrice"].notna().all()


def test_clean_test_csv_rows_price_alike_as_typed_parquet(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given all 1459 houses of test.csv as a Parquet file, typed as pandas read them
    table = pa.Table.from_pandas(test_data, preserve_index=False)
    path = write_parquet(tmp_path / "houses.parquet", table)
    # When both paths price it
    (fast,) = assert_paths_agree(path, package_trained_dir)
    # Then they agree, and every house is priced
    assert fast["SalePrice"].notna().all()


# --- CSV cells -------------------------------------------------------------------

NUMBERS = ["", "7.0", "1e3", "+5", " 5", "-0", "0012", "nan", "inf", "abc", "1" * 30]
CSV_CELLS = {
    "numbers in an area": ("GrLivArea", [*NUMBERS, "-5", "1500.5"]),
    "numbers in a rating": ("OverallQual", [*NUMBERS, "7.5", "11", "-1"]),
    "numbers in a count": ("GarageCars", ["1e9", "2.0", "", "2.5", "-0", "3"]),
    "areas at their bounds": ("GrLivArea", ["56420", "334", "56421", "333"]),
    "Ids": (ID, ["", "1461.5", "1461.0", "1e3", "+5", " 7", "-3", "9" * 30, "abc"]),
    "missing-value Ids": (ID, ["NA", "nan", "NULL", "None", "#N/A"]),
    "labels": ("Neighborhood", ["Atlantis", "", "NAmes", " NAmes", "1"]),
    "MSSubClass as text": ("MSSubClass", ["20", "20.0", "20.5", "abc", "", "1e1"]),
    "a label of ints and booleans": ("Street", ["1", "True", "false", ""]),
    "an unknown column": ("Colour", ["red", "", "1"]),
    "a bad area next to a float": ("GrLivArea", [" 5", "1500.5"]),
    "a bad rating next to a float": ("OverallQual", ["11", "7.0"]),
}


@pytest.mark.parametrize("column, cells", CSV_CELLS.values(), ids=CSV_CELLS.keys())
def test_odd_csv_cells_give_the_same_prices_and_errors(
    tmp_path: Path,
    test_data: pd.DataFrame,
    package_trained_dir: Path,
    column: str,
    cells: list[str],
) -> None:
    # Given houses of test.csv, as CSV text, whose first cells of a column are odd
    frame = with_cells(test_data, column, cells)
    path = write_csv(tmp_path / "houses.csv", frame)
    # When both paths price them
    (fast,) = assert_paths_agree(path, package_trained_dir)
    # Then they agree (above), and the clean houses after the odd cells are priced
    assert fast["SalePrice"][len(cells) :].notna().all()


def test_a_price_out_of_bounds_is_the_same_error(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given a house at the top of every domain: valid, but its price implausible
    frame = test_data.head(ROWS).astype(object)
    for column, domain in DOMAINS.items():
        if column != ID and domain.le is not None:
            frame.loc[0, column] = str(domain.le)
    path = write_csv(tmp_path / "houses.csv", frame)
    # When both paths price it
    (fast,) = assert_paths_agree(path, package_trained_dir)
    # Then both refuse its price with the same message
    assert fast["error"][0].startswith("SalePrice: ")


# --- Parquet columns -------------------------------------------------------------

NAN = float("nan")
PARQUET_COLUMNS = {
    "an int rating with nulls": ("OverallQual", pa.array([11, None, 7, None, 5])),
    "a float32 area": ("GrLivArea", pa.array([1500.3, NAN, 896.0], pa.float32())),
    "a float area with NaN and inf": (
        "GrLivArea",
        pa.array([NAN, np.inf, -0.0, 1e30, 2.5]),
    ),
    "an int area out of its domain": ("GrLivArea", pa.array([1500, -5, 10**12])),
    "a count of huge ints": ("GarageCars", pa.array([10**9, 2, None], pa.int64())),
    "a category label": (
        "Neighborhood",
        pa.array(["NAmes", "Atlantis", None, "NAmes"]).dictionary_encode(),
    ),
    "a category number": (
        "OverallQual",
        pa.array([7, 11, 7, None]).dictionary_encode(),
    ),
    "a numeric column as text": (
        "GrLivArea",
        pa.array(["1500", "abc", " 5", None, "1e3", "7.0"]),
    ),
    "an all-null column": ("LotFrontage", pa.nulls(4)),
    "an all-null float column": ("LotFrontage", pa.array([None] * 4, pa.float64())),
    "an all-null label": ("Neighborhood", pa.nulls(4, pa.string())),
    "Ids as text": (ID, pa.array(["1461", "abc", "1e3", None, " 7", "1462.0"])),
    "Ids as floats with NaN": (ID, pa.array([1461.0, NAN, 1462.5, 1463.0, -1.0])),
    "Ids as floats with nulls": (ID, pa.array([1461.0, None, 1e17])),
    "Ids as ints": (ID, pa.array([1461, -7, 2**62], pa.int64())),
    "labels with an empty string": ("Neighborhood", pa.array(["", "Atlantis", None])),
    "MSSubClass as ints": ("MSSubClass", pa.array([20, 60, None, 999])),
    "MSSubClass as floats": ("MSSubClass", pa.array([20.0, 20.5, NAN, 60.0])),
    "MSSubClass as text": ("MSSubClass", pa.array(["20", "20.0", "20.5", None])),
    "a label of ints": ("Street", pa.array([1, 2, None])),
    "a label of booleans": ("CentralAir", pa.array([True, False, None])),
    "an area of booleans, no nulls": ("GrLivArea", pa.array([True, False])),
    "an area of booleans with nulls": ("GrLivArea", pa.array([True, None])),
    "an unknown int column": ("Colour", pa.array([1, 2, 3])),
}


@pytest.mark.parametrize(
    "column, values", PARQUET_COLUMNS.values(), ids=PARQUET_COLUMNS.keys()
)
def test_odd_parquet_columns_give_the_same_prices_and_errors(
    tmp_path: Path,
    test_data: pd.DataFrame,
    package_trained_dir: Path,
    column: str,
    values: pa.Array,
) -> None:
    # Given houses of test.csv as typed Parquet, one column of an odd type or value
    table = with_column(test_data, column, values)
    path = write_parquet(tmp_path / "houses.parquet", table)
    # When both paths price them
    assert_paths_agree(path, package_trained_dir)
    # Then they agree (asserted in the helper)


def test_an_int_column_with_nulls_echoes_its_bad_value_alike(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given a Parquet rating of ints, 11 next to nulls (pandas reads it as floats)
    table = with_column(test_data, "OverallQual", pa.array([11, None, 7]))
    path = write_parquet(tmp_path / "houses.parquet", table)
    # When both paths price it
    (fast,) = assert_paths_agree(path, package_trained_dir)
    # Then the message (the same on both) names the value
    assert fast["error"][0].startswith("OverallQual: ") and "11" in fast["error"][0]


@pytest.mark.xfail(
    strict=True,
    reason="Street ints [1] under pandas metadata saying str: the reference reads "
    "'1' and prices the row, the Arrow path refuses it ('Street: Input should be "
    "a valid string (got 1.0)')",
)
def test_a_column_retyped_under_stale_pandas_metadata_is_read_alike(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given a Parquet file whose Street became ints, its pandas metadata still str
    table = pa.Table.from_pandas(test_data.head(2), preserve_index=False)
    position = table.column_names.index("Street")
    table = table.set_column(position, "Street", pa.array([1, 2]))
    path = write_parquet(tmp_path / "houses.parquet", table)
    # When both paths price it
    assert_paths_agree(path, package_trained_dir)
    # Then they agree (asserted in the helper)


def test_partitions_of_several_row_groups_price_alike(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given all of test.csv in row groups of 100 rows, a label and a number odd in
    # some of them (each row group's dictionary differs)
    frame = test_data.copy()
    frame.loc[::97, "Neighborhood"] = "Atlantis"
    frame.loc[::89, "OverallQual"] = 11
    table = pa.Table.from_pandas(frame, preserve_index=False)
    path = tmp_path / "houses.parquet"
    pq.write_table(table, path, row_group_size=100)
    # When both paths price partitions of three row groups each
    outputs = assert_paths_agree(path, package_trained_dir, partition_rows=250)
    # Then they agree on every partition, and the partitions hold every row once
    fast = pd.concat(outputs, ignore_index=True)
    assert len(outputs) == 5
    assert fast[ID].tolist() == test_data[ID].tolist()


# --- column names ----------------------------------------------------------------


def test_column_names_alias_unknown_and_absent_are_read_alike(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given houses with an alias for 1stFlrSF, an unknown column and no OverallQual
    frame = test_data.head(ROWS).rename(columns={"1stFlrSF": "FirstFlrSF"})
    frame = frame.drop(columns="OverallQual").assign(Colour="red")
    for suffix in ("csv", "parquet"):
        path = tmp_path / f"houses.{suffix}"
        if suffix == "csv":
            write_csv(path, frame)
        else:
            write_parquet(path, pa.Table.from_pandas(frame, preserve_index=False))
        # When both paths price them
        assert_paths_agree(path, package_trained_dir)
        # Then they agree, as CSV and as Parquet


def test_a_column_repeated_in_a_csv_header_is_read_alike(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given a CSV header naming GrLivArea twice, the second one holding other values
    text = test_data.head(ROWS).to_csv(index=False).splitlines()
    lines = [f"{line},{'abc' if n == 2 else 334}" for n, line in enumerate(text)]
    lines[0] = text[0] + ",GrLivArea"
    path = tmp_path / "houses.csv"
    path.write_text("\n".join(lines) + "\n")
    # When both paths price it
    assert_paths_agree(path, package_trained_dir)
    # Then they agree (the first GrLivArea is the one priced, on both)


# --- CSV files -------------------------------------------------------------------


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def _bom(text: str) -> str:
    return "\ufeff" + text


def _quoted(text: str) -> str:
    frame = pd.read_csv(io.StringIO(text), dtype=object)
    return frame.to_csv(index=False, quoting=1)  # csv.QUOTE_ALL


def _short_row(text: str) -> str:
    lines = text.splitlines()
    lines[3] = ",".join(lines[3].split(",")[:10])  # a row of ten cells only
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("rewrite", [_crlf, _bom, _quoted, _short_row])
def test_csv_files_of_other_shapes_are_read_alike(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path, rewrite: Any
) -> None:
    # Given houses of test.csv written with CRLF, a BOM, every field quoted or a
    # short row
    text = rewrite(test_data.head(ROWS).to_csv(index=False))
    path = tmp_path / "houses.csv"
    path.write_bytes(text.encode("utf-8"))
    # When both paths price it
    (fast,) = assert_paths_agree(path, package_trained_dir)
    # Then they agree, on every row
    assert len(fast) == ROWS


# --- partitions ------------------------------------------------------------------


def test_a_csv_cut_in_small_blocks_prices_each_row_once_alike(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given a CSV of 40 houses, some cells odd, cut into blocks of 300 bytes (a
    # line is longer: some blocks start no line)
    frame = with_cells(test_data.head(40), "GrLivArea", ["abc", "", "1e3", "7.0"])
    frame = pd.concat([frame, test_data.iloc[ROWS:40].astype(object)])
    path = write_csv(tmp_path / "houses.csv", frame)
    # When both paths price each block
    outputs = assert_paths_agree(path, package_trained_dir, blocksize="300B")
    # Then the blocks hold every row once, in order, as the whole file priced at
    # once; a price only to the last bits, as make_prediction's own on fewer rows
    # (the matrix product rounds by the shape of the call: a few units in the last
    # place of the log price, 1.8e-15 each; see package/docs/batch.md)
    assert len(outputs) > 20 and min(len(output) for output in outputs) == 0
    whole = score_frame(pd.read_csv(path, dtype=object), str(package_trained_dir), ID)
    fast = pd.concat(outputs, ignore_index=True)
    pd.testing.assert_series_equal(fast[ID], whole[ID])
    assert fast["error"].tolist() == whole["error"].tolist()
    np.testing.assert_allclose(fast["SalePrice"], whole["SalePrice"], rtol=1e-14)
