"""``package/scripts/differential.py``: how far two models' prices move."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from regression_model.config import load_config
from regression_model.train_pipeline import train

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "differential.py"
ROWS: list[dict[str, Any]] = [
    {"OverallQual": 7, "GrLivArea": 1800, "Neighborhood": "CollgCr"},
    {"OverallQual": 5, "GrLivArea": 1000, "MSSubClass": 20},
]


def differential(*args: object) -> tuple[subprocess.CompletedProcess[str], Any]:
    """Run the script; its result and, if it wrote one, its JSON report."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = Path(str(args[args.index("--output") + 1])) if "--output" in args else None
    report_file = output / "differential.json" if output else None
    report = (
        json.loads(report_file.read_text())
        if report_file and report_file.is_file()
        else None
    )
    return done, report


def trained_with(folder: Path, data_dir: Path, **model: Any) -> Path:
    """Train the package's model into ``folder``, with ``model`` settings changed."""
    config = load_config()
    config = config.model_copy(update={"model": config.model.model_copy(update=model)})
    train(folder, data_dir, config)
    return folder


def test_identical_models_differ_by_exactly_zero(
    package_trained_dir: Path, kaggle_dir: Path, tmp_path: Path
) -> None:
    # Given one trained folder as both the live model and the candidate
    # When the script compares them on test.csv
    done, report = differential(
        "--live", package_trained_dir, "--candidate", package_trained_dir,
        "--input", kaggle_dir / "test.csv", "--output", tmp_path,
    )  # fmt: skip
    # Then every difference is exactly 0.0 and it exits 0
    assert done.returncode == 0, done.stderr
    assert report["largest_relative_difference"] == 0.0
    assert report["median_relative_difference"] == 0.0
    assert report["share_beyond_tolerance"] == 0.0
    assert report["houses"] == 1459
    assert {"differential.md", "differential.png"} <= {
        p.name for p in tmp_path.iterdir()
    }


def test_retraining_with_the_same_data_and_config_moves_no_price(
    package_trained_dir: Path, kaggle_dir: Path, tmp_path: Path
) -> None:
    # Given the model trained again, from the same data and config.yml
    again = trained_with(tmp_path / "again", kaggle_dir)
    # When the script compares it with the first
    done, report = differential(
        "--live", package_trained_dir, "--candidate", again,
        "--input", kaggle_dir / "test.csv", "--output", tmp_path / "report",
    )  # fmt: skip
    # Then no price moved, by any amount
    assert done.returncode == 0, done.stderr
    assert report["largest_relative_difference"] == 0.0
    assert report["live_plan_sha256"] == report["candidate_plan_sha256"]


def test_a_candidate_with_another_alpha_is_reported_and_fails_the_threshold(
    package_trained_dir: Path, kaggle_dir: Path, tmp_path: Path
) -> None:
    # Given a candidate trained with alpha 0.0005 instead of 0.001
    candidate = trained_with(tmp_path / "alpha", kaggle_dir, alpha=0.0005)
    # When the script compares it with the live model (tolerance 1 %, at most 5 %)
    done, report = differential(
        "--live", package_trained_dir, "--candidate", candidate,
        "--input", kaggle_dir / "test.csv", "--output", tmp_path / "report",
    )  # fmt: skip
    # Then prices moved, more than the threshold allows: exit 1, with the report
    assert done.returncode == 1, done.stderr
    assert 0.0 < report["median_relative_difference"] < 0.01
    assert 0.01 < report["largest_relative_difference"] < 0.1
    assert report["share_beyond_tolerance"] > 0.05
    moved = [house["relative_difference"] for house in report["moved_most"]]
    assert len(moved) == 10 and moved == sorted(moved, reverse=True)
    assert moved[0] == report["largest_relative_difference"]


def test_the_rows_of_a_prediction_log_are_compared_too(
    package_trained_dir: Path, kaggle_dir: Path, tmp_path: Path
) -> None:
    # Given a prediction log (SQLite) holding two rows of one request
    log = tmp_path / "predictions.sqlite3"
    with sqlite3.connect(log) as connection:
        connection.execute("CREATE TABLE predictions (request_id, row, inputs, price)")
        connection.executemany(
            "INSERT INTO predictions VALUES ('r1', ?, ?, NULL)",
            [(position, json.dumps(row)) for position, row in enumerate(ROWS)],
        )
    connection.close()
    # When the script compares a model with itself on test.csv and the log
    done, report = differential(
        "--live", package_trained_dir, "--candidate", package_trained_dir,
        "--input", kaggle_dir / "test.csv", "--log", log, "--output", tmp_path / "r",
    )  # fmt: skip
    # Then the log's two rows are among the houses compared
    assert done.returncode == 0, done.stderr
    assert report["houses"] == 1459 + 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--live", "nowhere", "--candidate", "nowhere", "--output", "out"],
         "--live nowhere: not a trained folder"),
        (["--live", "nowhere"], "the following arguments are required"),
        (["--live", "a", "--candidate", "b", "--output", "o", "--max-share", "2"],
         "--max-share within 0..1"),
    ],
)  # fmt: skip
def test_bad_arguments_exit_2_with_one_line(
    tmp_path: Path, args: list[str], message: str
) -> None:
    # Given arguments that cannot be compared
    # When the script runs
    done, _ = differential(
        *[str(tmp_path / a) if a in {"nowhere", "out"} else a for a in args]
    )
    # Then it exits 2 with one line naming the problem
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert message in done.stderr.replace(str(tmp_path) + "/", "")
