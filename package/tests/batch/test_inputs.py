"""The batch job's input: files named by a path, agreeing headers, and partitions
(small files grouped)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from regression_model.batch.inputs import (
    CsvFiles,
    GroupedPartition,
    InputError,
    ParquetPartition,
    check_headers,
    csv_partitions,
    input_files,
    parquet_partitions,
)


def test_input_files_accepts_a_folder_and_a_glob(tmp_path: Path) -> None:
    # Given a folder with two CSV files and something else
    for name in ("b.csv", "a.csv", "notes.txt"):
        (tmp_path / name).write_text("Id\n1\n")
    # When the folder and a glob name the input
    from_folder = input_files(str(tmp_path))
    from_glob = input_files(str(tmp_path / "*.csv"))
    # Then both name the same CSV files, sorted
    expected = [tmp_path / "a.csv", tmp_path / "b.csv"]
    assert from_folder == from_glob == expected


def test_error_when_the_input_mixes_csv_and_parquet(tmp_path: Path) -> None:
    # Given a folder with a CSV file and a Parquet file
    (tmp_path / "a.csv").write_text("Id\n1\n")
    pd.DataFrame({"Id": [2]}).to_parquet(tmp_path / "b.parquet")
    # When it is named as the input
    with pytest.raises(InputError) as error:
        input_files(str(tmp_path))
    # Then the error asks for one kind
    assert str(error.value) == f"{tmp_path}: mixes CSV and Parquet files; pass one kind"


def test_error_when_a_file_has_other_columns_than_the_first(tmp_path: Path) -> None:
    # Given two CSV files whose columns differ
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("Id,GrLivArea\n1,1500\n")
    second.write_text("Id,LotArea\n2,8000\n")
    # When their headers are checked
    with pytest.raises(InputError) as error:
        check_headers([first, second], "Id")
    # Then the second file is named against the first
    assert str(error.value) == f"{second}: its columns differ from those of {first}"


def test_parquet_partitions_are_whole_row_groups_of_about_partition_rows(
    tmp_path: Path,
) -> None:
    # Given a Parquet file of 95 rows in row groups of 20 (the last one of 15)
    path = tmp_path / "houses.parquet"
    pd.DataFrame({"Id": range(95)}).to_parquet(path, index=False, row_group_size=20)
    # When it is cut into partitions of about 50 rows
    partitions = parquet_partitions([path], partition_rows=50)
    # Then each partition is whole row groups, in order, every group in one of them
    assert partitions == [
        ParquetPartition(str(path), (0, 1, 2)),
        ParquetPartition(str(path), (3, 4)),
    ]
    assert pd.concat(p.read() for p in partitions)["Id"].tolist() == list(range(95))


def test_small_parquet_files_are_grouped_into_partitions(tmp_path: Path) -> None:
    # Given five Parquet files of 4 rows each, one row group per file
    paths = [tmp_path / f"houses-{n}.parquet" for n in range(5)]
    for n, path in enumerate(paths):
        pd.DataFrame({"Id": range(4 * n, 4 * n + 4)}).to_parquet(path, index=False)
    # When they are cut into partitions of about 10 rows
    partitions = parquet_partitions(paths, partition_rows=10)
    # Then the files are grouped, three to a partition, then the two left
    assert partitions == [
        GroupedPartition(tuple(ParquetPartition(str(p), (0,)) for p in paths[:3])),
        GroupedPartition(tuple(ParquetPartition(str(p), (0,)) for p in paths[3:])),
    ]
    assert pd.concat(p.read() for p in partitions)["Id"].tolist() == list(range(20))


def test_small_csv_files_are_grouped_and_large_ones_left_to_dask(
    tmp_path: Path,
) -> None:
    # Given a large CSV file between four small ones
    small = [tmp_path / f"small-{n}.csv" for n in range(4)]
    for n, path in enumerate(small):
        path.write_text(f"Id,GrLivArea\n{n},1500\n")
    large = tmp_path / "large.csv"
    large.write_text("Id,GrLivArea\n" + "".join(f"{n},1500\n" for n in range(100)))
    files = [*small[:2], large, *small[2:]]
    # When they are cut with a block size of about two small files
    big, groups = csv_partitions(files, blocksize=2 * small[0].stat().st_size)
    # Then the large file goes to Dask and the small ones come in pairs, as text
    assert big == [large]
    assert groups == [
        CsvFiles((str(small[0]), str(small[1]))),
        CsvFiles((str(small[2]), str(small[3]))),
    ]
    assert groups[1].read().to_dict("list") == {
        "Id": ["2", "3"],
        "GrLivArea": ["1500", "1500"],
    }
