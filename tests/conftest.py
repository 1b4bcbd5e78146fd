"""Fixtures shared by the cross-stage tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KAGGLE_FILES = [
    "train.csv",
    "test.csv",
    "data_description.txt",
    "sample_submission.csv",
]


@pytest.fixture(scope="session")
def real_data_dir() -> Path:
    """The folder holding the real Kaggle files: data/ after `make data`.

    Skips on a user's machine without the files, but never in CI, where a missing
    file is a failure.
    """
    data_dir = ROOT / "data"
    missing = [name for name in KAGGLE_FILES if not (data_dir / name).is_file()]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the Kaggle files in data/; missing: {missing}")
        pytest.skip(f"run `make data` first; missing in data/: {missing}")
    return data_dir


@pytest.fixture(scope="session")
def research_stage(tmp_path_factory, real_data_dir):
    """The research notebooks, executed once per session on a copy of the folder.

    Its ``outputs/predictions.csv`` is what every later stage must reproduce; the
    committed notebooks and the repository's ``notebooks/outputs`` are left alone.
    """
    from tests.parity.stages import Stage

    stage = Stage("notebooks", tmp_path_factory.mktemp("stage-notebooks"))
    stage.train()
    return stage
