"""One partition priced on a worker: per-row errors, a bad Id costing its row, a
retry that rewrites its own file, and the model the client shipped, checked and
recorded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from regression_model.batch.inputs import ParquetPartition
from regression_model.batch.score import (
    score_frame,
    score_partition,
    ship_model,
    worker_model,
)
from regression_model.predict import make_prediction
from regression_model.processing.data_manager import ModelIntegrityError, file_sha256


@pytest.fixture
def package_copy_for_score(package_trained_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the package's trained folder (its files: other tests keep
    their outputs in subfolders of the shared one), free to be emptied."""
    copy = tmp_path / "model"
    copy.mkdir()
    for file in package_trained_dir.iterdir():
        if file.is_file():
            shutil.copy2(file, copy / file.name)
    return copy


def test_a_bad_cell_costs_only_its_row(model: Any, package_trained_dir: Path) -> None:
    # Given a partition read as text (as the job reads CSV) with one bad cell
    data = pd.DataFrame(
        {"Id": [1, 2, 3], "GrLivArea": ["1500", "abc", None], "OverallQual": "7"}
    )
    # When the partition is priced
    scored = score_frame(data, str(package_trained_dir), "Id")
    # Then only row 2 is unpriced, and its error is make_prediction's
    expected = make_prediction(
        pd.DataFrame(
            {"Id": [1, 2, 3], "GrLivArea": [1500.0, "abc", np.nan], "OverallQual": 7}
        ),
        model=model,
    )
    assert list(scored["Id"]) == [1, 2, 3]
    np.testing.assert_allclose(
        scored["SalePrice"].to_numpy(),
        [np.nan if p is None else p for p in expected["predictions"]],
        rtol=1e-12,
    )
    assert scored["error"].tolist() == [
        "",
        f"GrLivArea: {expected['errors'][0]['message']}",
        "",
    ]


def test_a_retried_partition_replaces_its_own_file(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given a Parquet partition whose GrLivArea is text, one cell of it no number
    data = test_data.head(30).copy()
    data["GrLivArea"] = data["GrLivArea"].astype(str)
    data.loc[3, "GrLivArea"] = "abc"
    path = tmp_path / "houses.parquet"
    data.to_parquet(path, index=False)
    partition = ParquetPartition(str(path), (0,))
    target = tmp_path / "part.000000.parquet"
    folder = str(package_trained_dir)
    # When the partition is priced twice into the same file, as a retried task is
    first = score_partition(partition, str(target), folder, "Id")
    second = score_partition(partition, str(target), folder, "Id")
    # Then the file holds each row once, only the bad cell's row unpriced
    written = pd.read_parquet(target)
    assert (first.rows, first.priced) == (second.rows, second.priced) == (30, 29)
    assert written["Id"].tolist() == data["Id"].tolist()
    assert written["SalePrice"].isna().tolist() == [row == 3 for row in range(30)]
    assert written.loc[3, "error"].startswith("GrLivArea: ")
    assert list(tmp_path.glob("*.partial")) == []


def test_worker_model_is_loaded_once_per_trained_folder(
    package_trained_dir: Path,
) -> None:
    # Given a worker that has loaded the model of a trained folder
    first = worker_model(str(package_trained_dir))
    # When a later task asks for the same folder
    second = worker_model(str(package_trained_dir))
    # Then it gets the very same model, not a new load
    assert second is first


def test_a_shipped_model_prices_without_its_trained_folder(
    package_copy_for_score: Path, test_data: pd.DataFrame, model: Any
) -> None:
    # Given the model shipped from a trained folder, and the folder then emptied
    shipped = ship_model(package_copy_for_score)
    for file in package_copy_for_score.iterdir():
        file.unlink()
    # When a partition is priced with the shipped model
    scored = score_frame(test_data.head(5), shipped, "Id")
    # Then the prices are the model's own
    expected = make_prediction(test_data.head(5), model=model)["predictions"]
    np.testing.assert_allclose(scored["SalePrice"].to_numpy(), expected, rtol=1e-12)


def test_a_shipped_model_whose_bytes_changed_is_refused(
    package_trained_dir: Path,
) -> None:
    # Given a shipped model whose bytes no longer match its SHA-256
    shipped = ship_model(package_trained_dir)
    forged = shipped._replace(content=shipped.content + b" ")
    # When a worker loads it
    # Then it refuses it, naming the plan
    with pytest.raises(ModelIntegrityError, match="does not match its SHA-256"):
        worker_model(forged)


def test_the_written_file_records_the_model_that_priced_it(
    tmp_path: Path, test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given a shipped model
    shipped = ship_model(package_trained_dir)
    target = tmp_path / "part.000000.parquet"
    # When a partition is priced into its file
    score_partition(test_data.head(3), str(target), shipped, "Id")
    # Then the file's metadata names the package version and the plan's SHA-256
    metadata = pq.read_schema(target).metadata
    assert json.loads(metadata[b"regression_model"]) == shipped.record()
    assert shipped.record()["plan_sha256"] == file_sha256(Path(shipped.plan_file))


@pytest.mark.parametrize("bad_id", [None, "", "1461.5", "abc", "=1+2" + "x" * 500])
def test_a_bad_id_costs_only_its_row_and_ids_stay_integers(
    test_data: pd.DataFrame, package_trained_dir: Path, bad_id: Any
) -> None:
    # Given three rows read as text, the second with a missing, empty, fractional,
    # text or huge Id
    data = test_data.head(3).astype(object)
    data["Id"] = ["1461", bad_id, "1463.0"]
    # When the partition is priced
    scored = score_frame(data, str(package_trained_dir), "Id")
    # Then that row alone is unpriced, with one short error naming the Id, and
    # the other Ids are integers
    error = scored.loc[1, "error"]
    assert str(scored["Id"].dtype) == "Int64"
    assert scored["Id"].tolist() == [1461, pd.NA, 1463]
    assert scored["SalePrice"].isna().tolist() == [False, True, False]
    assert error.startswith("Id: ") and error.count("Id: ") == 1
    assert len(error) <= 300
    assert (scored.loc[[0, 2], "error"] == "").all()


def test_a_missing_id_gets_the_batch_jobs_own_message(
    test_data: pd.DataFrame, package_trained_dir: Path
) -> None:
    # Given a row without an Id, which make_prediction alone would price
    data = test_data.head(2).astype(object)
    data["Id"] = [None, "1462"]
    # When the partition is priced
    scored = score_frame(data, str(package_trained_dir), "Id")
    # Then the row is an error row, saying why
    assert scored.loc[0, "error"] == "Id: missing: every row needs a whole-number Id"
    assert scored["SalePrice"].isna().tolist() == [True, False]
