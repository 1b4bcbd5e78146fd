"""Training refuses a bad train.csv and a useless model, in lines, never a traceback.

``python -m regression_model.train_pipeline`` is called in-process (its ``main``) on
a copy of train.csv spoilt one way per case: 2 when the file cannot train the model
(one line per problem, naming the file, the row and the column), 1 when the model it
trains fails the quality gate (nothing saved unless ``--force``), 0 when it is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from regression_model.processing.data_manager import load_metadata, pipeline_path
from regression_model.train_pipeline import main


@pytest.fixture
def train_csv(real_data_dir: Path, tmp_path: Path) -> Callable[..., Path]:
    """``train_csv(spoil)``: a data folder whose train.csv is the real one after
    ``spoil(frame)`` (which changes the frame in place or returns a new one)."""

    def write(spoil: Callable[[pd.DataFrame], pd.DataFrame | None]) -> Path:
        data = pd.read_csv(real_data_dir / "train.csv")
        spoilt = spoil(data)
        folder = tmp_path / "data"
        folder.mkdir(exist_ok=True)
        (data if spoilt is None else spoilt).to_csv(folder / "train.csv", index=False)
        return folder

    return write


def set_cell(
    column: str, value: object, row: int = 3
) -> Callable[[pd.DataFrame], None]:
    def spoil(data: pd.DataFrame) -> None:
        if isinstance(value, str):
            data[column] = data[column].astype(object)
        elif isinstance(value, float):
            data[column] = data[column].astype(float)
        data.loc[row, column] = value

    return spoil


def error_lines(stderr: str, path: Path) -> list[str]:
    """The lines of stderr, each checked to be one ``error:`` naming the file."""
    lines = stderr.strip().splitlines()
    assert lines, stderr
    assert "Traceback" not in stderr
    for line in lines:
        assert line.startswith("error: "), stderr
        assert str(path) in line, stderr
    return lines


# case -> (how train.csv is spoilt, the text its first line must hold)
BAD_FILES: dict[str, tuple[Callable[[pd.DataFrame], object], str]] = {
    "price-zero": (set_cell("SalePrice", 0), "row 3, column SalePrice: must be"),
    "price-negative": (set_cell("SalePrice", -5), "row 3, column SalePrice: must be"),
    "price-nan": (set_cell("SalePrice", np.nan), "row 3, column SalePrice: missing"),
    "price-text": (
        set_cell("SalePrice", "cheap"),
        "row 3, column SalePrice: not a number",
    ),
    "price-infinite": (
        set_cell("SalePrice", np.inf),
        "row 3, column SalePrice: must be",
    ),
    "prices-in-cents": (
        lambda data: data.assign(SalePrice=data["SalePrice"] * 100),
        "column SalePrice: outside the plausible prices",
    ),
    "prices-in-thousands": (
        lambda data: data.assign(SalePrice=data["SalePrice"] / 1000),
        "column SalePrice: outside the plausible prices",
    ),
    "all-nan-column": (
        lambda data: data.assign(LotArea=np.nan),
        "column LotArea: every value is missing",
    ),
    "five-rows": (lambda data: data.head(5), "5 rows: training needs at least"),
    "missing-column": (
        lambda data: data.drop(columns="GrLivArea"),
        "column GrLivArea: absent",
    ),
    "missing-target": (
        lambda data: data.drop(columns="SalePrice"),
        "column SalePrice: absent",
    ),
    "overall-quality-99": (
        set_cell("OverallQual", 99),
        "row 3, column OverallQual: out of the domain",
    ),
    "text-in-a-number": (
        set_cell("GrLivArea", "big"),
        "row 3, column GrLivArea:",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_train_csv_exits_2_with_one_line_per_problem(
    case, train_csv, tmp_path, capsys
):
    # Given a train.csv spoilt one way
    spoil, expected = BAD_FILES[case]
    data_dir = train_csv(spoil)
    # When the model is trained on it
    code = main(["--data-dir", str(data_dir), "--trained-dir", str(tmp_path / "m")])
    # Then it exits 2, names the file, row and column, and saves nothing
    assert code == 2
    lines = error_lines(capsys.readouterr().err, data_dir / "train.csv")
    assert expected in lines[0]
    assert len(lines) <= 21  # at most 20 problems, then a count of the rest
    assert not (tmp_path / "m").exists()


@pytest.mark.parametrize("content", [None, b"", b"Id,SalePrice\n1,20\n2,30,40,50\n"])
def test_absent_or_unreadable_train_csv_exits_2_with_one_line(
    content, tmp_path, capsys
):
    # Given a data folder whose train.csv is absent, empty or malformed
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    if content is not None:
        (data_dir / "train.csv").write_bytes(content)
    # When the model is trained on it
    code = main(["--data-dir", str(data_dir), "--trained-dir", str(tmp_path / "m")])
    # Then it exits 2 with one line naming the file
    assert code == 2
    assert len(error_lines(capsys.readouterr().err, data_dir / "train.csv")) == 1


def test_a_huge_cell_is_not_echoed_whole(train_csv, tmp_path, capsys):
    # Given a train.csv with a price of a million characters
    data_dir = train_csv(set_cell("SalePrice", "x" * 1_000_000))
    # When the model is trained on it
    code = main(["--data-dir", str(data_dir), "--trained-dir", str(tmp_path / "m")])
    # Then the one line about it shows only the start of the value
    assert code == 2
    (line,) = error_lines(capsys.readouterr().err, data_dir / "train.csv")
    assert len(line) < 400


def shuffle_prices(data: pd.DataFrame) -> pd.DataFrame:
    prices = np.random.default_rng(0).permutation(data["SalePrice"].to_numpy())
    return data.assign(SalePrice=prices)


def test_shuffled_prices_fail_the_quality_gate_and_save_nothing(
    train_csv, package_copy, capsys
):
    # Given prices shuffled across the houses, and a folder serving a good model
    data_dir = train_csv(shuffle_prices)
    served = pipeline_path(package_copy).read_bytes()
    # When a model is trained on them into that folder
    code = main(["--data-dir", str(data_dir), "--trained-dir", str(package_copy)])
    # Then it exits 1 with one line saying why, and the good model is still served
    assert code == 1
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert "max_holdout_rmse_log" in stderr and "baseline" in stderr
    assert pipeline_path(package_copy).read_bytes() == served


def test_force_saves_a_model_that_fails_the_gate(train_csv, tmp_path, capsys):
    # Given prices shuffled across the houses
    data_dir = train_csv(shuffle_prices)
    # When a model is trained on them with --force
    folder = tmp_path / "forced"
    code = main(["--data-dir", str(data_dir), "--trained-dir", str(folder), "--force"])
    # Then it is saved, with a warning and the gate's verdict in its metadata
    assert code == 0
    assert "warning: saved with --force" in capsys.readouterr().err
    gate = load_metadata(folder)["quality_gate"]
    assert gate["passed"] is False
    assert gate["baseline_rmse_log"] == pytest.approx(0.37, abs=0.02)
