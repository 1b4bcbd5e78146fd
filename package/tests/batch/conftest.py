"""The batch tests run the job's command line without ``--trained-dir``: its default
trained folder is the session's trained package (a fresh clone has none of its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from regression_model.config import TRAINED_DIR_ENV


@pytest.fixture(autouse=True)
def default_trained_dir_is_the_sessions(
    package_trained_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TRAINED_DIR_ENV, str(package_trained_dir))
