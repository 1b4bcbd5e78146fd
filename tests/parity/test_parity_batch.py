"""The batch job (the package embedded in a Dask job) prices test.csv like the
package itself.

Bit for bit per partition: each part of the job's output holds exactly the prices
``make_prediction`` gives the same rows in one call. Against the package's command
line, which prices the whole file in one call, a price may differ in its last bits
on a few rows: the BLAS routine behind ``X @ coef`` (OpenBLAS's ``gemv``) sums the
last ``n % 4`` rows of a call in another order than the others, so a row's last
bits depend on where it sits in the call that priced it. scikit-learn's Lasso does
the same ``X @ coef``, so this holds of every stage; ``docs/batch.md`` measures it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from regression_model.batch.job import main
from regression_model.predict import load_model, make_prediction

from tests.parity import stages
from tests.parity.conftest import COMPARISONS

# At most this far apart, relatively, where BLAS sums a row in another order: a
# few units in the last place of the log price, before exp (near log(price) = 12,
# one unit is 2**-49 = 1.8e-15).
ROUNDING = 1e-14


@pytest.fixture(scope="module")
def batch_output(
    trained_stage: Callable[[str], stages.Stage],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, stages.Stage]:
    """test.csv priced by the batch job, in CSV blocks of 100 kB on 2 workers."""
    package = trained_stage("package")
    output = tmp_path_factory.mktemp("batch") / "priced"
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
    assert status == 0
    return output, package


def test_each_batch_partition_prices_its_rows_as_make_prediction_does(
    batch_output: tuple[Path, stages.Stage],
) -> None:
    # Given the job's output of test.csv, one part per partition, in input order
    output, package = batch_output
    parts = sorted(output.glob("part.*.parquet"))
    houses = pd.read_csv(stages.TEST_CSV).set_index("Id", drop=False)
    model = load_model(package.workdir)
    batch, alone = [], []
    for part in parts:
        priced = pd.read_parquet(part)
        # When the rows of each part are priced by make_prediction in one call
        rows = houses.loc[priced["Id"].to_numpy()].reset_index(drop=True)
        expected = make_prediction(rows, model=model)["predictions"]
        batch.append(priced.set_index("Id")["SalePrice"])
        alone.append(pd.Series(expected, index=priced["Id"].to_numpy(), dtype=float))
    # Then the batch's prices are those, bit for bit, for every row, once
    got, want = pd.concat(batch), pd.concat(alone)
    assert len(parts) > 1 and got.index.is_unique and len(got) == 1459
    comparison = stages.compare("batch", got, "make_pred.", want)
    COMPARISONS.append(("test", comparison))
    np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())


def test_the_batch_job_prices_test_csv_like_the_package_command_line(
    batch_output: tuple[Path, stages.Stage],
) -> None:
    # Given the job's output of test.csv and the package's own prices of it
    output, package = batch_output
    reference = package.score(stages.TEST_CSV, "test")
    # When they are matched by Id
    prices = pd.read_parquet(output).set_index("Id")["SalePrice"]
    # Then every row is priced once, within rounding of the whole-file call
    assert prices.index.is_unique and len(prices) == len(reference) == 1459
    assert set(prices.index) == set(reference.index)
    comparison = stages.compare(
        "batch", prices.loc[reference.index], "package", reference
    )
    COMPARISONS.append(("test", comparison))
    assert comparison.max_rel <= ROUNDING, comparison
