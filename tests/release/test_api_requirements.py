"""The API depends on a released model: pinned, installed from the index, identical."""

from __future__ import annotations

import json
import math
import re
import subprocess
from pathlib import Path

import pandas as pd
from regression_model.predict import make_prediction

from tests.release.conftest import (
    API_REQUIREMENTS,
    ROOT,
    VERSION,
    clean_environment,
    trained_dir,
)

# Run by the fresh install's Python, outside the repository: what it imported, and
# its prices for test.csv.
PREDICT_SCRIPT = """
import json, sys
from importlib import metadata
import pandas as pd
import regression_model
import pandas as pd
from regression_model.predict import make_prediction
frame = pd.read_csv(sys.argv[1])
result = make_prediction(frame)
print(json.dumps({
    "file": regression_model.__file__,
    "version": regression_model.__version__,
    "distribution": metadata.version("regression-model"),
    "result": result,
}))
"""


def test_api_requirements_pin_the_package_version_exactly() -> None:
    # Given package/regression_model/VERSION
    # When api/requirements.txt is read
    pins = re.findall(
        r"^regression-model==(\S+)$", API_REQUIREMENTS.read_text(), re.MULTILINE
    )

    # Then it pins that very version, once
    assert pins == [VERSION]


def test_fresh_install_from_the_index_predicts_like_the_source_tree(
    fresh_install: Path, trained_package: Path, kaggle_data: Path, tmp_path: Path
) -> None:
    # Given a fresh venv with api/requirements.txt installed from the index
    # When its regression_model prices test.csv, run from outside the repository
    answer = subprocess.run(
        [str(fresh_install / "python"), "-c", PREDICT_SCRIPT, kaggle_data / "test.csv"],
        cwd=tmp_path,
        env=clean_environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    installed = json.loads(answer.stdout)

    # Then it is the released version, not the source tree, and it gives the source
    # tree's prices (with the model the source tree trained)
    assert not Path(installed["file"]).is_relative_to(ROOT)
    assert installed["version"] == installed["distribution"] == VERSION
    expected = make_prediction(
        pd.read_csv(kaggle_data / "test.csv"), trained_dir=trained_dir(trained_package)
    )
    assert installed["result"]["errors"] == expected["errors"]
    got, want = installed["result"]["predictions"], expected["predictions"]
    assert len(got) == len(want) == 1459
    assert all(
        math.isclose(g, w, rel_tol=1e-9, abs_tol=0.0)
        for g, w in zip(got, want, strict=True)
    )


def site_packages_snapshot(venv_bin: Path) -> dict[str, tuple[int, int]]:
    """Every file under the venv's site-packages with its mtime (ns) and size."""
    [site_packages] = (venv_bin.parent / "lib").glob("python*/site-packages")
    return {
        str(path.relative_to(site_packages)): (
            path.stat().st_mtime_ns,
            path.stat().st_size,
        )
        for path in site_packages.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_installed_cli_predicts_from_any_folder_and_writes_nothing_inside_the_package(
    fresh_install: Path, kaggle_data: Path, tmp_path: Path
) -> None:
    # Given the released package installed in a fresh venv, and an empty folder
    before = site_packages_snapshot(fresh_install)
    here = tmp_path / "empty"
    here.mkdir()
    houses = pd.read_csv(kaggle_data / "test.csv").head(25)
    houses.to_csv(tmp_path / "houses.csv", index=False)

    # When the package's CLI prices a file from that folder, without --output
    result = subprocess.run(
        [str(fresh_install / "python"), "-m", "regression_model.predict"]
        + ["--input", str(tmp_path / "houses.csv")],
        cwd=here,
        env=clean_environment(),
        capture_output=True,
        text=True,
    )

    # Then it writes predictions.csv right there, and site-packages is unchanged
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in here.iterdir()) == ["predictions.csv"]
    written = pd.read_csv(here / "predictions.csv")
    assert written["Id"].tolist() == houses["Id"].tolist()
    assert site_packages_snapshot(fresh_install) == before
