"""The batch job from the released package: without its extra it names the extra;
with ``regression-model[batch]`` installed it prices test.csv like the source tree.

Both run the session's fresh install (api/requirements.txt from the wheelhouse):
first as it is, then with the ``batch`` extra added to it, as a user who has the
package adds the extra. A venv of its own would install the whole scientific stack
again; adding the extra installs only Dask, pyarrow and their few dependencies.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from regression_model.batch.__main__ import MISSING_EXTRA
from regression_model.predict import make_prediction

from tests.release.conftest import LOCK, check_step, clean_environment, trained_dir


def batch_command(
    venv_bin: Path, input_csv: Path, folder: Path
) -> subprocess.CompletedProcess[str]:
    """``python -m regression_model.batch`` by the venv's Python, run from ``folder``
    (empty), pricing ``input_csv`` into ``folder/priced``."""
    folder.mkdir()
    return subprocess.run(
        [str(venv_bin / "python"), "-m", "regression_model.batch"]
        + ["--input", str(input_csv), "--output", "priced"],
        cwd=folder,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def run_without_extra(
    fresh_install: Path, kaggle_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The batch command on the fresh install, which has no batch extra; its result
    and the folder it ran from."""
    folder = tmp_path_factory.mktemp("without-extra") / "empty"
    return batch_command(fresh_install, kaggle_data / "test.csv", folder), folder


@pytest.fixture(scope="module")
def batch_install(
    run_without_extra: tuple[subprocess.CompletedProcess[str], Path],
    fresh_install: Path,
    wheelhouse: Path,
) -> Path:
    """The fresh install with ``regression-model[batch]`` added (after the run
    without it); returns its bin/.

    The released wheel is named by its file, so no index is asked for a
    ``regression-model``; Dask and pyarrow come from pip's usual sources, at the
    versions of requirements/lock.txt, as the wheelhouse's dependencies do.
    """
    [model_wheel] = (wheelhouse / "model").glob("regression_model-*.whl")
    result = subprocess.run(
        [str(fresh_install / "python"), "-m", "pip", "install", "--quiet"]
        + ["-c", str(LOCK), f"{model_wheel}[batch]"],
        env=clean_environment(),
        capture_output=True,
        text=True,
    )
    check_step(result, 'pip install "regression-model[batch]" into the fresh venv')
    return fresh_install


def test_without_the_extra_the_batch_command_names_it_in_one_line(
    run_without_extra: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    # Given the released package installed without its batch extra
    # When the batch command is run from an empty folder (fixture)
    result, folder = run_without_extra
    # Then it names the extra to install, in one line, exits 2 and writes nothing
    assert result.returncode == 2
    assert result.stderr == MISSING_EXTRA + "\n"
    assert list(folder.iterdir()) == []


def test_with_the_extra_the_batch_command_prices_test_csv_like_make_prediction(
    batch_install: Path, trained_package: Path, kaggle_data: Path, tmp_path: Path
) -> None:
    # Given the released package installed with its batch extra, and an empty folder
    folder = tmp_path / "empty"
    # When the batch command prices test.csv from that folder
    result = batch_command(batch_install, kaggle_data / "test.csv", folder)
    # Then every row is priced, once, as the source tree's make_prediction prices it
    # with the model the source tree trained
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["priced"]
    assert "rows in: 1,459  priced: 1,459  with errors: 0" in result.stdout
    priced = pd.read_parquet(folder / "priced").set_index("Id")
    houses = pd.read_csv(kaggle_data / "test.csv")
    expected = make_prediction(houses, trained_dir=trained_dir(trained_package))
    assert len(priced) == len(houses) == 1459 and priced.index.is_unique
    assert (priced["error"] == "").all()
    np.testing.assert_allclose(
        priced.loc[houses["Id"], "SalePrice"].to_numpy(),
        np.array(expected["predictions"], dtype=np.float64),
        rtol=1e-9,
        atol=0.0,
    )
