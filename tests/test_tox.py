"""The package README's "Workflow with tox" works: ``tox -e test`` passes.

tox builds the package, installs it with the locked versions into its own environment
(``package/.tox/``, kept between runs, so a second run only reinstalls the package)
and runs the package's tests there: the way the package's users test it, apart from
the repository's ``.venv``. The first run on a machine takes about a minute more.

``make test`` has already run every package test in ``.venv``, so here tox collects
them all (a test that cannot even be imported from the installed package fails the
run) and runs two modules of them: those of ``make_prediction`` and of the
configuration, read from the installed package.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOX = ROOT / ".venv" / "bin" / "tox"


def test_tox_test_environment_passes(real_data_dir: Path) -> None:
    # Given the package's tox.ini and the Kaggle files in data/ (real_data_dir)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV"}
    }

    # When a learner runs `tox -e test` from package/ (two modules of its tests)
    subset = "test_package_predict or test_package_config"
    result = subprocess.run(
        [str(TOX), "-e", "test", "--", "-q", "-p", "no:cacheprovider", "-k", subset],
        cwd=ROOT / "package",
        env=env,
        capture_output=True,
        text=True,
    )

    # Then every test is collected (a collection error fails tox), the others
    # deselected, and those run pass
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "test: OK" in output
    assert " passed" in output and " deselected" in output
