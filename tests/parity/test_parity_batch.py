"""The batch job (the package embedded in a Dask job) prices test.csv like the
package's own command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from regression_model.batch.job import main

from tests.parity import stages
from tests.parity.conftest import COMPARISONS

RELATIVE_TOLERANCE = 1e-9


def test_batch_job_prices_test_csv_like_the_package(
    trained_stage: Callable[[str], stages.Stage], tmp_path: Path
) -> None:
    # Given the package stage, trained once, and its own prices of test.csv
    package = trained_stage("package")
    reference = package.score(stages.TEST_CSV, "test")
    # When the batch job prices test.csv on a LocalCluster with that model
    output = tmp_path / "batch"
    status = main(
        [
            "--input",
            str(stages.TEST_CSV),
            "--output",
            str(output),
            "--workers",
            "2",
            "--blocksize",
            "100kB",
            "--trained-dir",
            str(package.workdir),
        ]
    )
    prices = pd.read_parquet(output).set_index("Id")["SalePrice"]
    # Then every row is priced, once, within the tolerance of the package
    assert status == 0
    assert prices.index.is_unique and len(prices) == len(reference) == 1459
    assert set(prices.index) == set(reference.index)
    comparison = stages.compare(
        "batch", prices.loc[reference.index], "package", reference
    )
    COMPARISONS.append(("test", comparison))
    assert comparison.max_rel <= RELATIVE_TOLERANCE, comparison
