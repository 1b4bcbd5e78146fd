"""Fixtures of the package's tests: small hand-made frames and one trained model.

The model is trained once per session, into a temporary folder, by the root
``conftest.py`` (``package_trained_dir``: the package's command line, as a user runs
it); tests pass that folder or the loaded model explicitly, so they never depend on,
nor change, the package's own ``trained_models/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from regression_model.predict import load_model
from regression_model.processing.data_manager import load_metadata

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def kaggle_dir(real_data_dir: Path) -> Path:
    """The folder with the Kaggle files: the root ``conftest.py``'s ``real_data_dir``
    (skips without them on a user's machine, fails in CI)."""
    return real_data_dir


@pytest.fixture(scope="session")
def trained(package_trained_dir: Path) -> tuple[Path, Any, dict[str, Any]]:
    """The session's trained model: (folder, fitted pipeline, metadata)."""
    return (
        package_trained_dir,
        load_model(package_trained_dir, engine="pipeline"),
        load_metadata(package_trained_dir),
    )


@pytest.fixture(scope="session")
def model(trained: tuple[Path, Any, dict[str, Any]]) -> Any:
    """The session's trained pipeline, loaded once from its folder."""
    return trained[1]


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
