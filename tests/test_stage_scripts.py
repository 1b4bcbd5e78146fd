"""Every stage script runs both ways, from any folder: as a file and as a module.

A learner types ``python procedural/train.py``; the Makefile and the READMEs also
say ``python -m procedural.train``. Both must work from an empty folder with the
project's environment, and no script edits ``sys.path``: ``make setup`` installs the
stages in editable mode (the root ``pyproject.toml``). Each script runs once each
way, from this test's own folder, doing something cheap that still proves it ran:

- the score scripts price five houses with the session's trained stage, into this
  test's folder (the stage's own files are only read);
- the OOP lesson runs whole (it needs no data);
- the others (which would train, execute notebooks or read every stage's outputs)
  print their ``--help``: their imports, all at the top, have run by then.

Run as a file, a script's own folder comes first on ``sys.path``, so a file beside it
(``procedural/config.py``, ``oop/transformers/``) would shadow any top-level module
of the same name (Hugging Face's ``transformers``): ``python -X importtime`` shows
that no such name is imported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]

# script -> (arguments, a line it prints on stdout). "{trained}", "{input}" and
# "{output}" are filled in by the test; a stage named in TRAINED is trained first.
SCRIPTS: dict[str, tuple[list[str], str]] = {
    "procedural/train.py": (["--help"], "usage: train.py"),
    "procedural/score.py": (
        ["--input", "{input}", "--output", "{output}", "--outputs-dir", "{trained}"],
        "priced 5 rows from",
    ),
    "oop/train.py": (["--help"], "usage: train.py"),
    "oop/score.py": (
        ["--input", "{input}", "--output", "{output}", "--outputs-dir", "{trained}"],
        "priced 5 rows from",
    ),
    "oop/lesson.py": ([], "2. With scikit-learn's BaseEstimator and TransformerMixin"),
    "notebooks/run_notebooks.py": (["--help"], "usage: run_notebooks.py"),
    "api/scripts/score.py": (["--help"], "usage: score.py"),
    "scripts/summary.py": (["--help"], "usage: summary.py"),
}
TRAINED = {"procedural/score.py": "procedural", "oop/score.py": "oop"}


def environment() -> dict[str, str]:
    """This environment without ``PYTHONPATH``: the install alone must find the code."""
    return {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}


def start(command: list[str], cwd: Path) -> subprocess.Popen[str]:
    """Start ``python *command`` from ``cwd``, its output captured."""
    return subprocess.Popen(
        [sys.executable, *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=environment(),
    )


def finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    """Wait for ``process``; return its exit code and output."""
    stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def imported_names(importtime_report: str) -> set[str]:
    """The modules named in ``python -X importtime``'s report (on stderr)."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in importtime_report.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def names_beside(script: Path) -> set[str]:
    """The top-level names the files and folders beside ``script`` would take."""
    return {
        path.stem if path.suffix == ".py" else path.name
        for path in script.parent.iterdir()
        if path != script and (path.suffix == ".py" or path.is_dir())
        if not path.name.startswith((".", "_"))
    }


@pytest.fixture(scope="module", autouse=True)
def stages_installed() -> None:
    try:
        distribution("house-prices-tutorial")
    except PackageNotFoundError:
        pytest.fail("the stages are not installed in this environment: `make setup`")


@pytest.mark.parametrize("script", SCRIPTS)
def test_stage_script_runs_as_a_file_and_as_a_module_from_any_folder(
    script, trained_stage, real_data_dir, tmp_path
):
    # Given an empty working folder, five houses to price and, for a score script,
    # its stage trained once for the session
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    houses = tmp_path / "houses.csv"
    pd.read_csv(real_data_dir / "test.csv").head(5).to_csv(houses, index=False)
    trained = trained_stage(TRAINED[script]).workdir if script in TRAINED else ""
    arguments, expected_line = SCRIPTS[script]
    module = script.removesuffix(".py").replace("/", ".")
    forms = {"file": [str(ROOT / script)], "module": ["-m", module]}

    # When it runs each way (both at once: they write different files)
    started = {}
    for form, command in forms.items():
        filled = [
            word.format(trained=trained, input=houses, output=tmp_path / f"{form}.csv")
            for word in arguments
        ]
        started[form] = start(["-X", "importtime", *command, *filled], cwd)
    results = {form: finish(process) for form, process in started.items()}

    # Then each way exits 0 and prints the expected line; a score script writes the
    # same prices both ways; nothing beside the script was imported as top-level
    for form, result in results.items():
        assert result.returncode == 0, f"{form}:\n{result.stdout}{result.stderr}"
        assert expected_line in result.stdout, f"{form}:\n{result.stdout}"
    if script in TRAINED:
        by_file = pd.read_csv(tmp_path / "file.csv")
        assert by_file["Id"].tolist() == pd.read_csv(houses)["Id"].tolist()
        assert (tmp_path / "file.csv").read_bytes() == (
            tmp_path / "module.csv"
        ).read_bytes()
    shadowed = imported_names(results["file"].stderr) & names_beside(ROOT / script)
    assert shadowed == set()
    assert list(cwd.iterdir()) == []


@pytest.mark.parametrize(
    ("script", "message"),
    [
        ("notebooks/run_notebooks.py", "missing train.csv, test.csv"),
        ("scripts/summary.py", "test.csv: not found; run `make data`"),
    ],
)
def test_stage_script_without_its_data_says_what_is_missing_and_exits_2(
    script, message, tmp_path
):
    # Given a copy of the script (and the notebooks) in a folder without data/
    copy = tmp_path / script
    shutil.copytree(
        (ROOT / script).parent,
        copy.parent,
        ignore=shutil.ignore_patterns("outputs", "__pycache__"),
    )
    # When the copy runs
    result = finish(start([str(copy)], tmp_path))
    # Then it exits 2 with one line naming what is missing, and no traceback
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
