"""train and score run as a user runs them: ``python -m procedural.<script>``.

The stage is trained once per test session (the root ``conftest.py``); every run
writes into pytest's temporary folders, never into the repository.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import train_test_split

from procedural import config

ROOT = Path(__file__).resolve().parents[2]
SCORE_SCRIPT = "procedural.score"


def run(module: str, *args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m module`` with this Python, from ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture(scope="module")
def trained(trained_stage) -> tuple[Path, str]:
    """The folder train saved its objects in, and what it printed."""
    stage = trained_stage("procedural")
    return stage.workdir, stage.train_output


def score(
    trained: tuple[Path, str], records: pd.DataFrame, folder: Path
) -> pd.DataFrame:
    """Write records to a CSV, price them with score.py and read the prices."""
    outputs_dir, _ = trained
    records.to_csv(folder / "records.csv", index=False)
    result = run(
        SCORE_SCRIPT,
        "--input", folder / "records.csv",
        "--output", folder / "prices.csv",
        "--outputs-dir", outputs_dir,
        cwd=folder,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return pd.read_csv(folder / "prices.csv")


def test_train_saves_the_scaler_and_the_model_each_in_its_own_file(trained):
    # Given train.py has run
    outputs_dir, _ = trained
    # When its outputs folder is listed
    saved = sorted(path.name for path in outputs_dir.iterdir() if path.is_file())
    # Then it holds the two fitted objects
    assert saved == sorted(
        [config.OUTPUT_SCALER_PATH.name, config.OUTPUT_MODEL_PATH.name]
    )


def test_holdout_error_reported_by_train_is_what_the_saved_objects_give(
    trained, real_data_dir, tmp_path
):
    # Given the holdout rows of the research split and the error train.py printed
    _, printed = trained
    reported = float(re.search(r"holdout RMSE \(log price\): (\S+)", printed)[1])
    data = pd.read_csv(real_data_dir / "train.csv")
    _, holdout = train_test_split(
        data, test_size=config.TEST_SIZE, random_state=config.RANDOM_STATE
    )
    # When score.py prices them with the saved scaler and model
    prices = score(trained, holdout.drop(columns=["SalePrice"]), tmp_path)
    # Then the error of the log price is the one reported, and a good one
    rmse = root_mean_squared_error(
        np.log(holdout["SalePrice"]), np.log(prices["SalePrice"])
    )
    assert rmse == pytest.approx(reported, rel=1e-12)
    assert rmse < 0.13


def test_scores_every_test_record_in_input_order(trained, real_data_dir, tmp_path):
    # Given the Kaggle test file
    records = pd.read_csv(real_data_dir / "test.csv")
    # When score.py prices it
    prices = score(trained, records, tmp_path)
    # Then the output is a Kaggle submission with a positive price for every Id
    assert prices.columns.tolist() == ["Id", "SalePrice"]
    assert prices["Id"].tolist() == records["Id"].tolist()
    assert (prices["SalePrice"] > 0).all()


def test_scores_awkward_records_in_input_order(trained, real_data_dir, tmp_path):
    # Given records with columns reversed, an extra column, every value missing,
    # unseen labels and MSSubClass written as a float
    records = pd.read_csv(real_data_dir / "test.csv").head(4)
    records = records[records.columns[::-1]].assign(Comment="extra")
    records.loc[0, records.columns.drop("Id")] = np.nan
    records.loc[1, ["Neighborhood", "KitchenQual"]] = ["Atlantis", "Superb"]
    records["MSSubClass"] = records["MSSubClass"].astype(float)
    # When score.py prices them
    prices = score(trained, records, tmp_path)
    # Then every record has a positive price, in input order
    assert prices["Id"].tolist() == records["Id"].tolist()
    assert (prices["SalePrice"] > 0).all()


def test_error_names_the_column_holding_text_instead_of_a_number(
    trained, real_data_dir, tmp_path
):
    # Given records with text where LotArea should be a number
    records = pd.read_csv(real_data_dir / "test.csv").head(3)
    with_text = records.assign(LotArea=["big", records.loc[1, "LotArea"], "huge"])
    with_text.to_csv(tmp_path / "records.csv", index=False)
    # When score.py prices them
    result = run(
        SCORE_SCRIPT,
        "--input", tmp_path / "records.csv",
        "--output", tmp_path / "with_text.csv",
        "--outputs-dir", trained[0],
        cwd=tmp_path,
    )  # fmt: skip
    # Then it stops with one line naming the file, the column and the Ids, and
    # writes nothing
    assert result.returncode == 1
    ids = records["Id"]
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'records.csv'}: LotArea is not a number for Id "
        f"{ids[0]}, {ids[2]}"
    ]
    assert not (tmp_path / "with_text.csv").exists()


def test_error_names_the_area_that_has_no_logarithm(trained, real_data_dir, tmp_path):
    # Given records where one GrLivArea is 0
    records = pd.read_csv(real_data_dir / "test.csv").head(3)
    records.loc[1, "GrLivArea"] = 0
    records.to_csv(tmp_path / "records.csv", index=False)
    # When score.py prices them
    result = run(
        SCORE_SCRIPT,
        "--input", tmp_path / "records.csv",
        "--output", tmp_path / "zero.csv",
        "--outputs-dir", trained[0],
        cwd=tmp_path,
    )  # fmt: skip
    # Then it stops with one line naming the column and the Id, and writes nothing
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'records.csv'}: GrLivArea is <= 0, which has no "
        f"logarithm, for Id {records.loc[1, 'Id']}"
    ]
    assert not (tmp_path / "zero.csv").exists()


def test_error_names_the_file_and_the_missing_column(trained, real_data_dir, tmp_path):
    # Given records without the GarageCars column
    records = pd.read_csv(real_data_dir / "test.csv").drop(columns=["GarageCars"])
    records.to_csv(tmp_path / "records.csv", index=False)
    # When score.py is asked to price them
    result = run(
        SCORE_SCRIPT,
        "--input", tmp_path / "records.csv",
        "--outputs-dir", trained[0],
        cwd=tmp_path,
    )  # fmt: skip
    # Then it stops with exit code 2 and one line naming the file and the column,
    # and writes nothing
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'records.csv'}: missing column(s) GarageCars"
    ]
    assert not (trained[0] / "predictions.csv").exists()


@pytest.mark.parametrize(
    "content",
    [None, b"", b"Id,MSSubClass\n1,20\n2,30,40,50\n", b"\xff\xfe\x00\x81"],
    ids=["absent", "empty", "malformed", "not-text"],
)
def test_error_names_the_file_it_cannot_read(trained, tmp_path, content):
    # Given a file that is absent, empty, malformed or not text
    path = tmp_path / "records.csv"
    if content is not None:
        path.write_bytes(content)
    # When score.py is asked to price it
    result = run(
        SCORE_SCRIPT, "--input", path, "--outputs-dir", trained[0], cwd=tmp_path
    )
    # Then it stops with exit code 2 and one line naming the file, no traceback
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {path}: ")


def test_error_when_not_trained(real_data_dir, tmp_path):
    # Given an outputs folder without the saved scaler and model
    # When score.py is asked to price the test records
    result = run(SCORE_SCRIPT, "--outputs-dir", tmp_path, cwd=tmp_path)
    # Then it stops with exit code 2 and one line saying to train first
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / config.OUTPUT_SCALER_PATH.name}: not found; "
        "run `python -m procedural.train` first"
    ]


def test_train_without_training_data_exits_2_saying_to_fetch_it(
    monkeypatch, tmp_path, capsys
):
    # Given a training file that is not there
    from procedural import train

    missing = tmp_path / "train.csv"
    monkeypatch.setattr(config, "TRAINING_DATA_PATH", missing)
    # When train.py runs
    code = train.main(["--outputs-dir", str(tmp_path / "outputs")])
    # Then it stops with exit code 2 and one line saying how to get the data
    assert code == 2
    assert capsys.readouterr().err == f"error: {missing}: not found; run `make data`\n"
    assert not (tmp_path / "outputs").exists()
