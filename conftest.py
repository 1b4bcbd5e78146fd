"""Fixtures for every test of the repository: the Kaggle files and trained stages.

Each stage is trained at most once per test session, the way its user trains it
(``tests/parity/stages.py``), into a temporary folder of its own. A stage's own tests,
the API's tests and the parity suite all ask :func:`trained_stage` for it, so the
first to ask pays for the training and the others reuse the folder. Nothing trains
into the source tree.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.parity.stages import Stage

ROOT = Path(__file__).resolve().parent
KAGGLE_FILES = [
    "train.csv",
    "test.csv",
    "data_description.txt",
    "sample_submission.csv",
]


# The API logs every request it prices into `prediction-log/` under its working
# folder by default. No test may write there (nor into `/`, where some test servers
# run): every app and server a test starts inherits a throw-away folder instead,
# unless it names one.
LOG_DIR_VARIABLE = "HOUSE_PRICES_API_PREDICTION_LOG_DIR"
_log_dirs: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if LOG_DIR_VARIABLE not in os.environ:
        _log_dirs.append(tempfile.mkdtemp(prefix="house-prices-prediction-log-"))
        os.environ[LOG_DIR_VARIABLE] = _log_dirs[-1]


def pytest_unconfigure(config: pytest.Config) -> None:
    for folder in _log_dirs:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(LOG_DIR_VARIABLE, None)


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
def trained_stage(
    tmp_path_factory: pytest.TempPathFactory, real_data_dir: Path
) -> Iterator[Callable[[str], Stage]]:
    """``trained_stage(name)``: the stage, trained once per session.

    The API trains nothing: it serves the package stage's model, so asking for it
    trains the package. A stage that started a server (the API) stops it at the end
    of the session.
    """
    from tests.parity.stages import Stage

    trained: dict[str, Stage] = {}

    def get(name: str) -> Stage:
        if name not in trained:
            if name == "api":
                stage = Stage("api", get("package").workdir)
            else:
                stage = Stage(name, tmp_path_factory.mktemp(f"stage-{name}"))
                stage.train()
            trained[name] = stage
        return trained[name]

    try:
        yield get
    finally:
        for stage in trained.values():
            stage.close()


@pytest.fixture(scope="session")
def research_stage(trained_stage: Callable[[str], Stage]) -> Stage:
    """The research notebooks, executed once per session on a copy of the folder.

    Its ``outputs/predictions.csv`` is what every later stage must reproduce; the
    committed notebooks and the repository's ``notebooks/outputs`` are left alone.
    """
    return trained_stage("notebooks")


@pytest.fixture(scope="session")
def package_trained_dir(trained_stage: Callable[[str], Stage]) -> Path:
    """A folder holding the package's trained model (trained once per session)."""
    return trained_stage("package").workdir
