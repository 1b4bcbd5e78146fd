"""Fixtures of the package's tests: small hand-made frames and one trained model.

The trained model is made once per session in a temporary folder (pointed to by
``$REGRESSION_MODEL_TRAINED_DIR`` for the session), so the tests never depend on, nor
change, the package's own ``trained_models/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from regression_model.config import TRAINED_DIR_ENV
from regression_model.train_pipeline import train

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def kaggle_dir() -> Path:
    """The folder with the Kaggle files (data/ after `make data`).

    Skips on a machine without them, but never in CI, where that is a failure.
    """
    directory = REPO_ROOT / "data"
    missing = [f for f in ("train.csv", "test.csv") if not (directory / f).is_file()]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the Kaggle files in data/; missing: {missing}")
        pytest.skip(f"run `make data` first; missing in data/: {missing}")
    return directory


@pytest.fixture(scope="session")
def trained(
    kaggle_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, Any, dict[str, Any]]]:
    """Train once into a temporary folder: (folder, fitted pipeline, metadata)."""
    directory = tmp_path_factory.mktemp("trained_models")
    pipeline, metadata = train(trained_dir=directory, data_directory=kaggle_dir)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(TRAINED_DIR_ENV, str(directory))
        yield directory, pipeline, metadata


@pytest.fixture(scope="session")
def test_data(kaggle_dir: Path) -> pd.DataFrame:
    """Kaggle's test.csv (do not modify: copy first)."""
    return pd.read_csv(kaggle_dir / "test.csv")


@pytest.fixture
def houses() -> pd.DataFrame:
    """Three hand-made houses with the columns the transformers' tests need."""
    return pd.DataFrame(
        {
            "MSSubClass": [20, 60, np.nan],
            "Neighborhood": ["NAmes", "CollgCr", "NAmes"],
            "ExterQual": ["TA", "Gd", "Missing"],
            "YearRemodAdd": [2000.0, 1990.0, 2008.0],
            "YrSold": [2008.0, 2010.0, 2008.0],
        }
    )
