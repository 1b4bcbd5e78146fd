"""The drift report's command line: drift.json and a self-contained drift.html."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from regression_model.monitoring.report import main


def test_the_report_flags_a_shifted_living_area(
    trained: tuple[Path, Any, dict[str, Any]],
    test_data: pd.DataFrame,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given test.csv with GrLivArea 1.5 times larger, as Parquet
    shifted = test_data.copy()
    shifted["GrLivArea"] = shifted["GrLivArea"] * 1.5
    houses = tmp_path / "shifted.parquet"
    shifted.to_parquet(houses)

    # When the report is written
    status = main(
        [
            "--input",
            str(houses),
            "--trained-dir",
            str(trained[0]),
            "--output",
            str(tmp_path / "report"),
        ]
    )

    # Then GrLivArea alone is flagged, in the JSON and on the page
    assert status == 0
    report = json.loads((tmp_path / "report" / "drift.json").read_text())
    assert report["rows"] == len(test_data)
    assert report["flagged"] == ["GrLivArea"]
    entry = report["features"]["GrLivArea"]
    assert entry["verdict"] == "large"
    assert entry["ks_p_value"] < 1e-6
    page = (tmp_path / "report" / "drift.html").read_text()
    assert "<strong>GrLivArea</strong>" in page
    assert "GrLivArea (PSI" in capsys.readouterr().out


def test_the_page_needs_nothing_from_the_network(
    trained: tuple[Path, Any, dict[str, Any]], kaggle_dir: Path, tmp_path: Path
) -> None:
    # When the report of test.csv is written
    status = main(
        [
            "--input",
            str(kaggle_dir / "test.csv"),
            "--trained-dir",
            str(trained[0]),
            "--output",
            str(tmp_path),
        ]
    )

    # Then nothing is flagged, and every image is inline, no address anywhere
    assert status == 0
    assert json.loads((tmp_path / "drift.json").read_text())["flagged"] == []
    page = (tmp_path / "drift.html").read_text()
    assert re.findall(r"src='([^']{0,22})", page) == ["data:image/png;base64,"]
    assert "http" not in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("houses.txt", "Id\n1\n", "not a .csv or .parquet file"),
        ("absent.csv", None, "No such file"),
        ("empty.csv", "", "No columns"),
    ],
)
def test_an_unreadable_input_is_one_line_and_exit_2(
    trained: tuple[Path, Any, dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str | None,
    message: str,
) -> None:
    # Given an input the report cannot read
    houses = tmp_path / name
    if content is not None:
        houses.write_text(content)

    # When the report is asked for
    status = main(
        [
            "--input",
            str(houses),
            "--trained-dir",
            str(trained[0]),
            "--output",
            str(tmp_path / "report"),
        ]
    )

    # Then nothing is written, and one line says why
    assert status == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and message in error
    assert not (tmp_path / "report").exists()
