"""One partition priced on a worker: per-row errors, a retry that rewrites its own
file, and a model loaded once per process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from regression_model.batch.inputs import ParquetPartition
from regression_model.batch.score import score_frame, score_partition, worker_model
from regression_model.predict import make_prediction


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
