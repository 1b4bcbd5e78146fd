"""Fixtures of the reliability suite: throw-away copies of trained models, CSVs.

Every test that changes a model works on a copy of the session's trained folder
(``copy_of``), never on the folder itself, which other tests serve.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest


@pytest.fixture
def package_copy(package_trained_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the package's trained folder."""
    return Path(shutil.copytree(package_trained_dir, tmp_path / "package-model"))


@pytest.fixture
def records_csv(real_data_dir: Path, tmp_path: Path) -> Path:
    """The first 50 rows of test.csv (every column), as a CSV of their own."""
    path = tmp_path / "records.csv"
    pd.read_csv(real_data_dir / "test.csv").head(50).to_csv(path, index=False)
    return path


@pytest.fixture
def rehash() -> Callable[[Path, str, bytes], None]:
    """``rehash(folder, kind, content)``: replace the ``kind`` ("plan" or "model")
    file of a package folder and record its new SHA-256 in the metadata, as a
    forger with write access to the folder would."""
    from regression_model.processing import data_manager as dm

    def forge(folder: Path, kind: str, content: bytes) -> None:
        model = dm.pipeline_path(folder)
        target = dm.plan_path(model) if kind == "plan" else model
        target.write_bytes(content)
        metadata = json.loads(dm.metadata_path(model).read_text())
        metadata[f"{kind}_sha256"] = dm.file_sha256(target)
        dm.metadata_path(model).write_text(json.dumps(metadata))

    return forge
