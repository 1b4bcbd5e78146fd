"""The batch job on a real Dask cluster: a scheduler and two workers started with
Dask's own command line, as an operator starts them, on 127.0.0.1.

The job must price every row once, exactly as ``make_prediction`` prices it, with
the cluster's workers in other processes than the client.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from regression_model.batch.job import main
from regression_model.predict import load_model, make_prediction

DASK = Path(sys.executable).with_name("dask")
# 100,000 rows: about 70 partitions of a CSV spread over both workers, priced by the
# compiled plan (well over 100k rows/s per core), so the reference below, which prices
# every row again in this process, stays cheap.
ROWS = 100_000
BAD_CELLS = {
    5: ("GrLivArea", "abc"),
    12_345: ("GarageCars", "two"),
    99_999: ("LotArea", "?"),
}


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Stop each process this module started, by its pid; kill what lingers."""
    for process in reversed(processes):
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def scheduler_address(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `dask scheduler` and two `dask worker` processes; yields the address."""
    from dask.distributed import Client

    folder = tmp_path_factory.mktemp("dask-cluster")
    scheduler_file = folder / "scheduler.json"
    common = ["--no-dashboard"]
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes.append(
            subprocess.Popen(
                [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0"]
                + ["--scheduler-file", str(scheduler_file), *common],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        deadline = time.monotonic() + 30
        while not scheduler_file.exists():
            assert time.monotonic() < deadline, "the scheduler did not start"
            assert processes[0].poll() is None, "the scheduler exited"
            time.sleep(0.1)
        time.sleep(0.2)  # the file is written in one go, but give it a moment
        address = json.loads(scheduler_file.read_text())["address"]
        for _ in range(2):
            processes.append(
                subprocess.Popen(
                    [str(DASK), "worker", address, "--nworkers", "1"]
                    + ["--nthreads", "1", "--memory-limit", "1GiB"]
                    + ["--host", "127.0.0.1", *common],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    cwd=folder,
                )
            )
        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        _stop(processes)


@pytest.fixture(scope="module")
def houses_csv(tmp_path_factory: pytest.TempPathFactory, real_data_dir: Path) -> Path:
    """test.csv tiled to ROWS rows with new Ids, missing cells, unseen labels and
    a few bad cells."""
    test = pd.read_csv(real_data_dir / "test.csv")
    data = pd.concat([test] * (ROWS // len(test) + 1), ignore_index=True).head(ROWS)
    data["Id"] = np.arange(1_000_001, 1_000_001 + ROWS)
    data.loc[::97, "LotFrontage"] = np.nan
    data.loc[::101, "KitchenQual"] = np.nan
    data.loc[::89, "Neighborhood"] = "Atlantis"
    for row, (column, value) in BAD_CELLS.items():
        data[column] = data[column].astype(object)
        data.loc[row, column] = value
    path = tmp_path_factory.mktemp("batch-input") / "houses.csv"
    data.to_csv(path, index=False)
    return path


def test_two_worker_cluster_prices_every_row_like_make_prediction(
    scheduler_address: str,
    houses_csv: Path,
    package_trained_dir: Path,
    tmp_path: Path,
) -> None:
    # Given ROWS houses in one CSV file, and a cluster of two worker processes
    output = tmp_path / "priced"
    # When the job runs against the cluster's address, in ~15 partitions
    status = main(
        [
            "--input",
            str(houses_csv),
            "--output",
            str(output),
            "--scheduler",
            scheduler_address,
            "--blocksize",
            "1MB",
            "--trained-dir",
            str(package_trained_dir),
        ]
    )
    # Then every row is there exactly once ...
    priced = pd.read_parquet(output)
    assert status == 1
    assert len(priced) == ROWS and priced["Id"].is_unique
    priced = priced.set_index("Id")
    # ... priced as make_prediction prices the same rows, read as its CLI reads them
    data = pd.read_csv(houses_csv, low_memory=False)
    expected = make_prediction(data, model=load_model(package_trained_dir))
    priced = priced.loc[data["Id"]]
    expected_prices = np.array(
        [np.nan if p is None else p for p in expected["predictions"]]
    )
    np.testing.assert_allclose(
        priced["SalePrice"].to_numpy(), expected_prices, rtol=1e-9
    )
    # ... with the same errors on the same rows, and none elsewhere
    expected_errors = [[] for _ in range(ROWS)]
    for problem in expected["errors"]:
        expected_errors[problem["row"]].append(
            f"{problem['column']}: {problem['message']}"
        )
    assert priced["error"].tolist() == ["; ".join(e) for e in expected_errors]
    assert sorted(r for r, e in enumerate(expected_errors) if e) == sorted(BAD_CELLS)
