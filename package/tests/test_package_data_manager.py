"""Saving and loading the pipeline: round trip, one version kept, tampering refused."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
import skops.io as sio
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import LinearRegression

from regression_model import __version__
from regression_model.processing.data_manager import (
    ModelIntegrityError,
    file_sha256,
    load_metadata,
    load_pipeline,
    metadata_path,
    pipeline_path,
    save_pipeline,
)


@pytest.fixture
def saved_copy(trained, tmp_path):
    """The trained pipeline saved again into a fresh folder: (folder, pipeline)."""
    _, pipeline, metadata = trained
    save_pipeline(pipeline, metadata, tmp_path)
    return tmp_path, pipeline


def test_loaded_pipeline_predicts_like_the_trained_one(saved_copy, test_data):
    # Given
    directory, pipeline = saved_copy
    X = test_data.drop(columns="Id")

    # When
    loaded = load_pipeline(directory)

    # Then
    np.testing.assert_array_equal(loaded.predict(X), pipeline.predict(X))


def test_file_name_carries_version_and_old_versions_removed(trained, tmp_path):
    # Given
    _, pipeline, metadata = trained
    old = [tmp_path / "regression_model_output_v0.0.1.skops", tmp_path / "notes.txt"]
    for path in old:
        path.write_text("old")

    # When
    saved = save_pipeline(pipeline, metadata, tmp_path)

    # Then
    assert saved.name == f"regression_model_output_v{__version__}.skops"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.txt",
        f"regression_model_output_v{__version__}.json",
        saved.name,
    ]


def test_metadata_records_version_hashes_and_metrics(trained, kaggle_dir):
    # Given
    directory, _, _ = trained

    # When
    metadata = load_metadata(directory)

    # Then
    assert metadata["version"] == __version__
    assert metadata["model_sha256"] == file_sha256(pipeline_path(directory))
    assert metadata["training_data_sha256"] == file_sha256(kaggle_dir / "train.csv")
    assert set(metadata["holdout_metrics"]) == {
        "rmse_log",
        "r2_log",
        "rmse_dollars",
        "r2_dollars",
    }
    assert {"scikit-learn", "feature-engine", "skops"} <= set(metadata["libraries"])


def test_changed_model_file_refused(saved_copy):
    # Given
    directory, _ = saved_copy
    with pipeline_path(directory).open("ab") as stream:
        stream.write(b"\0")

    # When / Then
    with pytest.raises(ModelIntegrityError, match="SHA-256"):
        load_pipeline(directory)


def test_untrusted_type_refused_even_with_matching_hash(tmp_path):
    # Given: a model whose target function would run a shell command
    evil = TransformedTargetRegressor(
        regressor=LinearRegression(), func=os.system, inverse_func=os.system
    )
    path = pipeline_path(tmp_path)
    sio.dump(evil, path)
    metadata_path(path).write_text(
        json.dumps({"model_file": path.name, "model_sha256": file_sha256(path)})
    )

    # When / Then
    with pytest.raises(ModelIntegrityError, match="system"):
        load_pipeline(tmp_path)


def test_error_names_how_to_train_when_no_model(tmp_path):
    # When / Then
    with pytest.raises(FileNotFoundError, match="train_pipeline"):
        load_pipeline(tmp_path)
