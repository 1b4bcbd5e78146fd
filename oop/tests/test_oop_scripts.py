"""``python -m oop.train`` and ``python -m oop.score``, run as a user runs them.

The stage is trained once per test session (the root ``conftest.py``), from a
neutral working directory; scoring runs in a subprocess from another temporary
folder and writes there, never into oop/outputs/. Whether this stage prices like the
others is the parity suite's question (``tests/parity``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oop import score

ROOT = Path(__file__).resolve().parents[2]


def run(module: str, *args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def oop_outputs(trained_stage, tmp_path_factory) -> dict[str, Path]:
    """The trained stage's folder, and test.csv priced by the score script."""
    outputs = trained_stage("oop").workdir
    cwd = tmp_path_factory.mktemp("elsewhere")
    predictions = cwd / "predictions.csv"
    run("oop.score", "--outputs-dir", outputs, "--output", predictions, cwd=cwd)
    return {"dir": outputs, "predictions": predictions}


def test_training_saves_one_artifact(oop_outputs):
    # Given the training script run from another directory
    # When its outputs folder is listed
    # Then it holds one file: the whole model
    saved = [path.name for path in oop_outputs["dir"].iterdir() if path.is_file()]
    assert saved == ["model.joblib"]


def test_scoring_prices_every_test_row_in_order(oop_outputs, real_data_dir):
    # Given the scoring script run on test.csv
    predictions = pd.read_csv(oop_outputs["predictions"])
    # When its output is compared with test.csv
    test_ids = pd.read_csv(real_data_dir / "test.csv")["Id"]
    # Then it has the Kaggle header, every Id in order and a positive price each
    assert predictions.columns.tolist() == ["Id", "SalePrice"]
    assert predictions["Id"].tolist() == test_ids.tolist()
    assert np.isfinite(predictions["SalePrice"]).all()
    assert (predictions["SalePrice"] > 0).all()


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
    # Then the run fails with exit code 2 and one line naming the file and the
    # column
    assert code == 2
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
    # Then the run fails with exit code 2 and says to train first
    assert code == 2
    assert "run `python -m oop.train` first" in capsys.readouterr().err


def test_train_without_training_data_exits_2_saying_to_fetch_it(
    monkeypatch, tmp_path, capsys
):
    # Given a training file that is not there
    from oop import settings, train

    missing = tmp_path / "train.csv"
    monkeypatch.setattr(settings, "TRAIN_CSV", missing)
    # When train.py runs
    code = train.main(["--outputs-dir", str(tmp_path / "outputs")])
    # Then it stops with exit code 2 and one line saying how to get the data
    assert code == 2
    assert capsys.readouterr().err == f"error: {missing}: not found; run `make data`\n"
    assert not (tmp_path / "outputs").exists()
