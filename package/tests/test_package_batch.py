"""The batch job: its command line, its input checks, its per-row contract, and a run
on the default ``LocalCluster``. (A run on a separately started cluster is in
``tests/test_batch_distributed.py``.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from regression_model.batch.job import (
    Piece,
    Summary,
    input_files,
    main,
    parquet_pieces,
    score_partition,
    score_piece,
)
from regression_model.predict import make_prediction


@pytest.fixture
def small_csv(tmp_path: Path, test_data: pd.DataFrame) -> Path:
    """120 rows of test.csv with one bad cell (row 7) and one unseen label (row 8)."""
    data = test_data.head(120).copy()
    data["GrLivArea"] = data["GrLivArea"].astype(object)
    data.loc[7, "GrLivArea"] = "abc"
    data.loc[8, "Neighborhood"] = "Atlantis"
    path = tmp_path / "small.csv"
    data.to_csv(path, index=False)
    return path


def test_help_names_every_option(capsys: pytest.CaptureFixture[str]) -> None:
    # When the help is printed
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    # Then it lists the options the job documents
    out = capsys.readouterr().out
    assert exit_info.value.code == 0
    for option in ("--input", "--output", "--scheduler", "--blocksize", "--workers"):
        assert option in out


def test_exit_2_naming_a_missing_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a path that does not exist
    missing = tmp_path / "nowhere.csv"
    # When the job is pointed at it
    status = main(["--input", str(missing), "--output", str(tmp_path / "out")])
    # Then it says so in one line and exits 2, before starting any cluster
    err = capsys.readouterr().err
    assert status == 2
    assert err.strip() == f"{missing}: no such file"


def test_exit_2_when_the_input_has_no_id_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a CSV file without an Id column
    path = tmp_path / "no_id.csv"
    pd.DataFrame({"GrLivArea": [1500]}).to_csv(path, index=False)
    # When it is scored
    status = main(["--input", str(path), "--output", str(tmp_path / "out")])
    # Then the file is named and the exit status is 2
    assert status == 2
    assert capsys.readouterr().err.strip() == f"{path} has no Id column"


def test_exit_2_when_a_parquet_file_is_unreadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a file called .parquet that is not Parquet
    path = tmp_path / "broken.parquet"
    path.write_text("not parquet")
    # When it is scored
    status = main(["--input", str(path), "--output", str(tmp_path / "out")])
    # Then the error names the file, on one line
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert err.startswith(f"cannot read {path}:") and "\n" not in err


def test_input_files_accepts_a_folder_and_a_glob(tmp_path: Path) -> None:
    # Given a folder with two CSV files and something else
    for name in ("b.csv", "a.csv", "notes.txt"):
        (tmp_path / name).write_text("Id\n1\n")
    # Then the folder and a glob name the same CSV files, sorted
    expected = [tmp_path / "a.csv", tmp_path / "b.csv"]
    assert input_files(str(tmp_path)) == expected
    assert input_files(str(tmp_path / "*.csv")) == expected


def test_a_bad_cell_costs_only_its_row(model: Any, package_model_dir: Path) -> None:
    # Given a partition read as text (as the job reads CSV) with one bad cell
    data = pd.DataFrame(
        {"Id": [1, 2, 3], "GrLivArea": ["1500", "abc", None], "OverallQual": "7"}
    )
    # When the partition is scored
    scored = score_partition(data, str(package_model_dir), "Id")
    # Then only row 2 is unpriced, and its error is make_prediction's
    expected = make_prediction(
        pd.DataFrame(
            {"Id": [1, 2, 3], "GrLivArea": [1500.0, "abc", np.nan], "OverallQual": 7}
        ),
        model=model,
    )
    assert list(scored["Id"]) == [1, 2, 3]
    np.testing.assert_allclose(
        scored["SalePrice"].to_numpy(),
        [np.nan if p is None else p for p in expected["predictions"]],
        rtol=1e-12,
    )
    assert scored["error"].tolist() == [
        "",
        f"GrLivArea: {expected['errors'][0]['message']}",
        "",
    ]


def test_parquet_pieces_are_whole_row_groups_of_about_partition_rows(
    tmp_path: Path,
) -> None:
    # Given a Parquet file of 95 rows in row groups of 20 (the last one of 15)
    path = tmp_path / "houses.parquet"
    pd.DataFrame({"Id": range(95)}).to_parquet(path, index=False, row_group_size=20)
    # When it is cut into pieces of about 50 rows
    pieces = parquet_pieces([path], partition_rows=50)
    # Then each piece is whole row groups, in order, every group in one piece
    assert pieces == [
        Piece(str(path), (0, 1, 2)),
        Piece(str(path), (3, 4)),
    ]
    assert pd.concat(p.read() for p in pieces)["Id"].tolist() == list(range(95))


def test_a_retried_piece_replaces_its_own_file(
    tmp_path: Path, test_data: pd.DataFrame, package_model_dir: Path
) -> None:
    # Given a Parquet piece whose GrLivArea is text, one cell of it no number
    data = test_data.head(30).copy()
    data["GrLivArea"] = data["GrLivArea"].astype(str)
    data.loc[3, "GrLivArea"] = "abc"
    path = tmp_path / "houses.parquet"
    data.to_parquet(path, index=False)
    piece = Piece(str(path), (0,))
    target = tmp_path / "part.000000.parquet"
    # When the piece is scored twice into the same file, as a retried task is
    first = score_piece(piece, str(target), str(package_model_dir), "Id")
    second = score_piece(piece, str(target), str(package_model_dir), "Id")
    # Then the file holds each row once, only the bad cell's row unpriced
    written = pd.read_parquet(target)
    assert (first.rows, first.priced) == (second.rows, second.priced) == (30, 29)
    assert written["Id"].tolist() == data["Id"].tolist()
    assert written["SalePrice"].isna().tolist() == [row == 3 for row in range(30)]
    assert written.loc[3, "error"].startswith("GrLivArea: ")
    assert list(tmp_path.glob("*.partial")) == []


def test_summary_reports_rows_errors_and_rate() -> None:
    # Given 1000 rows, 990 priced, in 2 s of scoring
    summary = Summary(rows=1000, priced=990, seconds=5.0, scoring_seconds=2.0)
    # Then the line reports each figure
    assert summary.with_errors == 10
    assert str(summary) == (
        "rows in: 1,000  priced: 990  with errors: 10  500 rows/s  "
        "wall time: 5.0 s (cluster start included)"
    )


def test_local_cluster_prices_every_row_once(
    small_csv: Path,
    tmp_path: Path,
    package_model_dir: Path,
    model: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given 120 rows, one with a bad cell, in partitions of about 10 kB
    output = tmp_path / "priced"
    # When the job runs on its default LocalCluster (one worker, to start fast)
    status = main(
        [
            "--input",
            str(small_csv),
            "--output",
            str(output),
            "--workers",
            "1",
            "--blocksize",
            "10kB",
            "--trained-dir",
            str(package_model_dir),
        ]
    )
    # Then every row is written once, priced as make_prediction prices it
    out = capsys.readouterr().out
    priced = pd.read_parquet(output).sort_values("Id", ignore_index=True)
    expected = make_prediction(pd.read_csv(small_csv), model=model)
    assert status == 1
    assert "rows in: 120  priced: 119  with errors: 1" in out
    assert len(list(output.glob("*.parquet"))) > 1
    assert priced["Id"].tolist() == pd.read_csv(small_csv)["Id"].tolist()
    np.testing.assert_allclose(
        priced["SalePrice"].to_numpy(),
        [np.nan if p is None else p for p in expected["predictions"]],
        rtol=1e-9,
    )
    assert priced.loc[7, "error"].startswith("GrLivArea: ")
    assert (priced.drop(index=7)["error"] == "").all()


def test_local_cluster_prices_a_parquet_input_and_replaces_old_output(
    tmp_path: Path,
    test_data: pd.DataFrame,
    package_model_dir: Path,
    model: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given 300 typed rows in row groups of 50, and an output folder holding the
    # file of an older, larger run
    path = tmp_path / "houses.parquet"
    data = test_data.head(300)
    data.to_parquet(path, index=False, row_group_size=50)
    output = tmp_path / "priced"
    output.mkdir()
    data.head(10).to_parquet(output / "part.000099.parquet", index=False)
    # When the job prices it in pieces of 100 rows
    status = main(
        [
            "--input",
            str(path),
            "--output",
            str(output),
            "--workers",
            "1",
            "--partition-rows",
            "100",
            "--trained-dir",
            str(package_model_dir),
        ]
    )
    # Then the output is three files of this run, each row once, in input order
    out = capsys.readouterr().out
    priced = pd.read_parquet(output)
    expected = make_prediction(data, model=model)
    assert status == 0
    assert "rows in: 300  priced: 300  with errors: 0" in out
    assert sorted(p.name for p in output.glob("*.parquet")) == [
        f"part.00000{n}.parquet" for n in range(3)
    ]
    assert pq.read_schema(output / "part.000000.parquet").names == [
        "Id",
        "SalePrice",
        "error",
    ]
    assert priced["Id"].tolist() == data["Id"].tolist()
    np.testing.assert_allclose(
        priced["SalePrice"].to_numpy(), expected["predictions"], rtol=1e-9
    )
    assert (priced["error"] == "").all()
