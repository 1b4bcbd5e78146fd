"""The batch job's run and command line: its options, exit 2 on bad input, its
summary line, and runs on the default ``LocalCluster``. (A run on a separately
started cluster is in ``tests/test_batch_distributed.py``.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from regression_model.batch.job import Summary, main
from regression_model.batch.output import MARKER
from regression_model.predict import make_prediction

OPTIONS = (
    *("--input", "--output", "--scheduler", "--workers", "--blocksize"),
    *("--partition-rows", "--trained-dir"),
)


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
    for option in OPTIONS:
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
    package_trained_dir: Path,
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
            str(package_trained_dir),
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
    package_trained_dir: Path,
    model: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given 300 typed rows in row groups of 50, and an output folder holding the
    # file of an older, larger run of the job (its marker too)
    path = tmp_path / "houses.parquet"
    data = test_data.head(300)
    data.to_parquet(path, index=False, row_group_size=50)
    output = tmp_path / "priced"
    output.mkdir()
    (output / MARKER).write_text("")
    data.head(10).to_parquet(output / "part.000099.parquet", index=False)
    # When the job prices it in partitions of 100 rows
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
            str(package_trained_dir),
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
