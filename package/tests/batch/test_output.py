"""The batch job's output: replaced whole when a run succeeds, kept when it fails,
counted from the Parquet footers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from regression_model.batch.output import count_output, staged_output


@pytest.fixture
def previous_output(tmp_path: Path) -> Path:
    """An output folder holding one file of an earlier run."""
    output = tmp_path / "priced"
    output.mkdir()
    pd.DataFrame({"Id": [9], "SalePrice": [1.0]}).to_parquet(
        output / "part.000099.parquet"
    )
    return output


def test_files_of_a_successful_run_replace_the_previous_ones(
    previous_output: Path,
) -> None:
    # Given an earlier run's output
    # When a run writes two files into its staging folder and succeeds
    with staged_output(previous_output) as staging:
        for n in range(2):
            pd.DataFrame({"Id": [n]}).to_parquet(staging / f"part.{n:06d}.parquet")
    # Then the output holds exactly this run's files, and the staging folder is gone
    assert sorted(p.name for p in previous_output.iterdir()) == [
        "part.000000.parquet",
        "part.000001.parquet",
    ]
    assert sorted(p.name for p in previous_output.parent.iterdir()) == ["priced"]


def test_a_failed_run_keeps_the_previous_output_whole(previous_output: Path) -> None:
    # Given an earlier run's output
    before = (previous_output / "part.000099.parquet").read_bytes()
    # When a run writes a file into its staging folder and then fails
    with pytest.raises(OSError), staged_output(previous_output) as staging:
        pd.DataFrame({"Id": [0]}).to_parquet(staging / "part.000000.parquet")
        raise OSError("No space left on device")
    # Then the output is the earlier run's, untouched, and no staging folder is left
    assert sorted(p.name for p in previous_output.iterdir()) == ["part.000099.parquet"]
    assert (previous_output / "part.000099.parquet").read_bytes() == before
    assert sorted(p.name for p in previous_output.parent.iterdir()) == ["priced"]


def test_count_output_counts_rows_and_priced_rows(tmp_path: Path) -> None:
    # Given two files, three rows in all, one of them without a price
    pd.DataFrame({"Id": [1, 2], "SalePrice": [1e5, None]}).to_parquet(
        tmp_path / "part.000000.parquet"
    )
    pd.DataFrame({"Id": [3], "SalePrice": [2e5]}).to_parquet(
        tmp_path / "part.000001.parquet"
    )
    # When the output is counted
    counts = count_output(tmp_path)
    # Then it has three rows, two priced
    assert counts == (3, 2)
