"""The training reference: built from the training split, saved and vouched for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from regression_model.config import load_config
from regression_model.monitoring.reference import (
    build_reference,
    load_reference,
    reference_path,
)
from regression_model.processing.data_manager import (
    ModelIntegrityError,
    metadata_path,
    pipeline_path,
)


def test_numeric_shares_and_missing_add_up_to_one() -> None:
    # Given ten areas, two of them missing
    frame = pd.DataFrame({"LotArea": [1.0, 2, 3, 4, 5, 6, 7, 8, None, None]})

    # When its reference is built
    spec = build_reference(frame, ["LotArea"])["LotArea"]

    # Then the bins hold the 8 present rows, the missing share the other 2
    assert spec["kind"] == "numeric"
    assert len(spec["shares"]) == len(spec["edges"]) + 1
    assert spec["missing"] == pytest.approx(0.2, abs=1e-12)
    assert sum(spec["shares"]) + spec["missing"] == pytest.approx(1.0, abs=1e-12)


def test_a_numeric_coded_category_is_counted_by_label() -> None:
    # Given MSSubClass written as 20, 20.0 and "20"
    frame = pd.DataFrame({"MSSubClass": [20, 20.0, "20", 60]}, dtype=object)

    # When it is referenced as a category
    spec = build_reference(frame, ["MSSubClass"], categorical=["MSSubClass"])

    # Then the three spellings are one label
    assert spec["MSSubClass"]["shares"] == {"20": 0.75, "60": 0.25}


def test_training_saves_the_reference_of_every_feature(
    trained: tuple[Path, Any, dict[str, Any]],
) -> None:
    # Given the session's trained folder
    trained_dir, _, metadata = trained

    # When its reference is loaded
    reference = load_reference(trained_dir)

    # Then it covers the model's features, and the metadata vouches for its file
    assert reference is not None
    assert list(reference) == load_config().model.features
    assert reference["Neighborhood"]["kind"] == "categorical"
    assert reference["MSSubClass"]["kind"] == "categorical"
    assert reference["GrLivArea"]["kind"] == "numeric"
    assert reference["GrLivArea"]["rows"] == metadata["training_rows"]
    assert metadata["reference_file"] == reference_path(pipeline_path(trained_dir)).name


def _copy(trained_dir: Path, destination: Path) -> Path:
    shutil.copytree(trained_dir, destination)
    return destination


def test_a_changed_reference_is_refused_naming_it(
    trained: tuple[Path, Any, dict[str, Any]], tmp_path: Path
) -> None:
    # Given a copy of the trained folder whose reference was edited after training
    folder = _copy(trained[0], tmp_path / "trained")
    path = reference_path(pipeline_path(folder))
    reference = json.loads(path.read_text())
    reference["GrLivArea"]["missing"] = 0.5
    path.write_text(json.dumps(reference))

    # When it is loaded, then it is refused, the message naming the file
    with pytest.raises(ModelIntegrityError, match=path.name):
        load_reference(folder)


def test_a_model_trained_before_references_has_none(
    trained: tuple[Path, Any, dict[str, Any]], tmp_path: Path
) -> None:
    # Given a trained folder whose metadata records no reference
    folder = _copy(trained[0], tmp_path / "trained")
    meta = metadata_path(pipeline_path(folder))
    metadata = json.loads(meta.read_text())
    del metadata["reference_file"], metadata["reference_sha256"]
    meta.write_text(json.dumps(metadata))

    # When its reference is loaded, then there is none to compare with
    assert load_reference(folder) is None
