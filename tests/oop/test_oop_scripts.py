"""oop/train.py and oop/score.py, run as a user runs them, and parity with procedural.

The scripts run in a subprocess from a temporary working directory (they must
work from anywhere) and write into temporary folders, never into oop/outputs/.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oop import score
from procedural import score as procedural_score
from procedural import train as procedural_train

ROOT = Path(__file__).resolve().parents[2]


def run(script: str, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, str(ROOT / script), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def oop_outputs(real_data_dir, tmp_path_factory) -> dict[str, object]:
    """Train and score with the OOP scripts; return the outputs folder and files."""
    outputs = tmp_path_factory.mktemp("oop_outputs")
    cwd = tmp_path_factory.mktemp("elsewhere")
    run("oop/train.py", "--outputs-dir", outputs, cwd=cwd)
    trained = sorted(path.name for path in outputs.iterdir())
    run("oop/score.py", "--outputs-dir", outputs, cwd=cwd)
    return {"dir": outputs, "after_training": trained}


@pytest.fixture(scope="module")
def procedural_predictions(real_data_dir, tmp_path_factory) -> pd.DataFrame:
    """Train and score with the procedural stage's scripts, into a temporary folder.

    They run in this process (their ``main`` takes the command line's arguments):
    the OOP scripts above already show that scripts work from any directory.
    """
    outputs = tmp_path_factory.mktemp("procedural_outputs")
    assert procedural_train.main(["--outputs-dir", str(outputs)]) == 0
    assert procedural_score.main(["--outputs-dir", str(outputs)]) == 0
    return pd.read_csv(outputs / "predictions.csv")


def test_training_saves_one_artifact(oop_outputs):
    # Given the training script run from another directory
    # When its outputs folder is listed
    # Then it holds one file: the whole model
    assert oop_outputs["after_training"] == ["model.joblib"]


def test_scoring_prices_every_test_row_in_order(oop_outputs, real_data_dir):
    # Given the scoring script run on test.csv
    predictions = pd.read_csv(oop_outputs["dir"] / "predictions.csv")
    # When its output is compared with test.csv
    test_ids = pd.read_csv(real_data_dir / "test.csv")["Id"]
    # Then it has the Kaggle header, every Id in order and a positive price each
    assert predictions.columns.tolist() == ["Id", "SalePrice"]
    assert predictions["Id"].tolist() == test_ids.tolist()
    assert np.isfinite(predictions["SalePrice"]).all()
    assert (predictions["SalePrice"] > 0).all()


def test_predictions_equal_the_procedural_stage(oop_outputs, procedural_predictions):
    # Given both stages trained and scored from scratch
    oop_predictions = pd.read_csv(oop_outputs["dir"] / "predictions.csv")
    # When their prices are compared row by row
    assert oop_predictions["Id"].equals(procedural_predictions["Id"])
    relative = (
        oop_predictions["SalePrice"] - procedural_predictions["SalePrice"]
    ).abs() / procedural_predictions["SalePrice"]
    # Then they agree within the tutorial's limit (in practice, bit for bit)
    assert relative.max() <= 1e-9, f"max relative difference {relative.max()!r}"


def test_score_reports_a_missing_column(oop_outputs, real_data_dir, tmp_path, capsys):
    # Given records without one of the model's columns
    records = pd.read_csv(real_data_dir / "test.csv").head(5).drop(columns="LotArea")
    records.to_csv(tmp_path / "records.csv", index=False)
    # When they are scored
    code = score.main(
        [
            "--input",
            str(tmp_path / "records.csv"),
            "--outputs-dir",
            str(oop_outputs["dir"]),
        ]
        + ["--output", str(tmp_path / "prices.csv")]
    )
    # Then the run fails with one line naming the file and the column
    assert code == 1
    error = capsys.readouterr().err
    assert error.startswith(f"error: {tmp_path / 'records.csv'}: ")
    assert "['LotArea']" in error
    assert not (tmp_path / "prices.csv").exists()


def test_score_reports_text_in_a_numerical_column(
    oop_outputs, real_data_dir, tmp_path, capsys
):
    # Given records with a word where a number belongs
    records = pd.read_csv(real_data_dir / "test.csv").head(5)
    records["GrLivArea"] = records["GrLivArea"].astype("object")
    records.loc[2, "GrLivArea"] = "large"
    records.to_csv(tmp_path / "records.csv", index=False)
    # When they are scored
    code = score.main(
        [
            "--input",
            str(tmp_path / "records.csv"),
            "--outputs-dir",
            str(oop_outputs["dir"]),
        ]
    )
    # Then the run fails with one line naming the column
    assert code == 1
    assert "expected numbers in GrLivArea" in capsys.readouterr().err


def test_score_reports_a_missing_model(tmp_path, capsys):
    # Given an outputs folder without a trained model
    # When scoring runs
    code = score.main(["--outputs-dir", str(tmp_path)])
    # Then the run fails and says to train first
    assert code == 1
    assert "run oop/train.py first" in capsys.readouterr().err
