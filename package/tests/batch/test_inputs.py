"""The batch job's input: files named by a path, agreeing headers, and partitions
(small files grouped)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from regression_model.batch.inputs import (
    NA_VALUES,
    CsvBlock,
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
    ids = pd.concat(p.read().to_pandas() for p in partitions)["Id"]
    assert ids.tolist() == list(range(95))


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
    ids = pd.concat(p.read().to_pandas() for p in partitions)["Id"]
    assert ids.tolist() == list(range(20))


def test_small_csv_files_are_grouped_and_large_ones_cut_into_blocks(
    tmp_path: Path,
) -> None:
    # Given a large CSV file between four small ones
    small = [tmp_path / f"small-{n}.csv" for n in range(4)]
    for n, path in enumerate(small):
        path.write_text(f"Id,GrLivArea\n{n},1500\n")
    large = tmp_path / "large.csv"
    large.write_text("Id,GrLivArea\n" + "".join(f"{n},1500\n" for n in range(100)))
    files = [*small[:2], large, *small[2:]]
    names = ("Id", "GrLivArea")
    blocksize = 2 * small[0].stat().st_size
    # When they are cut with a block size of about two small files
    partitions = csv_partitions(dict.fromkeys(files, list(names)), blocksize)
    # Then the small ones come in pairs, the large one in blocks, in input order,
    # and a block reads as text
    size = large.stat().st_size
    blocks = [
        CsvBlock(str(large), start, min(start + blocksize, size), names)
        for start in range(0, size, blocksize)
    ]
    assert partitions == [
        GroupedPartition((CsvBlock(str(small[0]), 0, blocksize // 2, names),
                          CsvBlock(str(small[1]), 0, blocksize // 2, names))),
        *blocks,
        GroupedPartition((CsvBlock(str(small[2]), 0, blocksize // 2, names),
                          CsvBlock(str(small[3]), 0, blocksize // 2, names))),
    ]  # fmt: skip
    assert partitions[-1].read().to_pydict() == {
        "Id": ["2", "3"],
        "GrLivArea": ["1500", "1500"],
    }


@pytest.mark.parametrize("blocksize", [1, 7, 13, 64, 10_000])
def test_csv_blocks_hold_every_line_once_whatever_the_block_size(
    tmp_path: Path, blocksize: int
) -> None:
    # Given a CSV file of 50 lines of different lengths, CRLF line ends, no final
    # line end
    path = tmp_path / "houses.csv"
    lines = [f"{n},{'x' * (n % 7)}" for n in range(50)]
    path.write_bytes(("Id,Street\r\n" + "\r\n".join(lines)).encode())
    # When it is cut into blocks of any size and every block is read
    partitions = csv_partitions({path: ["Id", "Street"]}, blocksize)
    ids = [i for p in partitions for i in p.read().column("Id").to_pylist()]
    # Then every line is in exactly one block, in order
    assert ids == [str(n) for n in range(50)]


def test_a_csv_block_reads_missing_values_as_pandas_does(tmp_path: Path) -> None:
    # Given a CSV file whose cells are every one of pandas' missing values, a
    # quoted one, and text that only looks like one
    path = tmp_path / "houses.csv"
    cells = [*NA_VALUES, '"NA"', "na", " NA", "Na"]
    path.write_text("Id,Alley\n" + "".join(f"{n},{c}\n" for n, c in enumerate(cells)))
    # When it is read as a block and by pandas, every cell text
    (block,) = csv_partitions({path: ["Id", "Alley"]}, 1 << 20)
    ours = block.read().column("Alley").to_pylist()
    theirs = pd.read_csv(path, dtype=object)["Alley"]
    # Then the same cells are missing, and the others the same text
    assert ours == [None if pd.isna(v) else v for v in theirs]
    assert ours.count(None) == len(NA_VALUES) + 1


def test_the_missing_values_are_those_of_pandas() -> None:
    # Given pandas' own list of the texts read_csv reads as missing
    from pandas._libs.parsers import STR_NA_VALUES

    # Then the batch job's CSV reader uses the same list
    assert set(NA_VALUES) == set(STR_NA_VALUES)


def test_a_csv_block_arrow_cannot_parse_is_read_as_pandas_reads_it(
    tmp_path: Path,
) -> None:
    # Given a CSV file with a short row (pandas fills it with missing values)
    path = tmp_path / "houses.csv"
    path.write_text("Id,GrLivArea,Street\n1,1500,Pave\n2\n3,1600,Grvl\n")
    # When it is read as a block
    (block,) = csv_partitions({path: ["Id", "GrLivArea", "Street"]}, 1 << 20)
    table = block.read()
    # Then every row is there, the short one's missing cells null
    assert table.to_pydict() == {
        "Id": ["1", "2", "3"],
        "GrLivArea": ["1500", None, "1600"],
        "Street": ["Pave", None, "Grvl"],
    }
