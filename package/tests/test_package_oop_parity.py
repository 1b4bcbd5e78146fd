"""The package prices test.csv exactly as the OOP stage does.

Runs the OOP stage's scripts into a temporary folder; skips, outside CI only, when the
OOP stage is absent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from regression_model.predict import make_prediction

OOP_DIR = Path(__file__).resolve().parents[2] / "oop"


def oop_predictions(kaggle_dir, tmp_path) -> pd.DataFrame:
    """Train the OOP stage and price test.csv with it, all inside ``tmp_path``."""
    scripts = [OOP_DIR / "train.py", OOP_DIR / "score.py"]
    if not all(script.is_file() for script in scripts):
        if os.environ.get("CI"):
            pytest.fail("the OOP stage (oop/train.py, oop/score.py) is missing")
        pytest.skip("the OOP stage is not there to compare with")
    output = tmp_path / "predictions.csv"
    for command in (
        [scripts[0], "--outputs-dir", tmp_path],
        [scripts[1], "--outputs-dir", tmp_path, "--output", output],
    ):
        subprocess.run([sys.executable, *map(str, command)], check=True)
    return pd.read_csv(output)


def test_predictions_equal_oop_stage(trained, kaggle_dir, test_data, tmp_path):
    # Given
    oop = oop_predictions(kaggle_dir, tmp_path)

    # When
    ours = np.array(make_prediction(test_data)["predictions"])

    # Then
    assert oop["Id"].tolist() == test_data["Id"].tolist()
    relative = np.abs(ours - oop["SalePrice"].to_numpy()) / oop["SalePrice"].to_numpy()
    assert relative.max() <= 1e-9
