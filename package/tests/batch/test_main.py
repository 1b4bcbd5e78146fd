"""``python -m regression_model.batch``: without the ``batch`` extra it names the
extra in one line and exits 2; with it, it runs the job's command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from regression_model.batch.__main__ import MISSING_EXTRA

# What an environment without the extra does when the job imports it.
NOT_INSTALLED = 'raise ImportError("No module named {name!r} (not installed)")\n'


def run_batch_command(
    *args: str, cwd: Path, pythonpath: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m regression_model.batch ARGS`` in a new process, from ``cwd``;
    ``pythonpath`` comes first on its path."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(pythonpath), *filter(None, [env.get("PYTHONPATH")])]
        )
    return subprocess.run(
        [sys.executable, "-m", "regression_model.batch", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("missing", ["dask", "pyarrow"])
def test_without_the_extra_the_command_names_it_and_exits_2(
    missing: str, tmp_path: Path
) -> None:
    # Given a Python whose import of dask (or pyarrow) fails, as it does when the
    # package was installed without its batch extra
    fake = tmp_path / "without-extra" / missing
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(NOT_INSTALLED.format(name=missing))
    houses = tmp_path / "houses.csv"
    houses.write_text("Id\n1\n")
    # When the batch command is run
    result = run_batch_command(
        *("--input", str(houses), "--output", str(tmp_path / "priced")),
        cwd=tmp_path,
        pythonpath=fake.parent,
    )
    # Then it prints one line naming the extra, exits 2 and writes nothing
    assert result.returncode == 2
    assert result.stderr == MISSING_EXTRA + "\n"
    assert result.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["houses.csv", "without-extra"]


def test_with_the_extra_the_command_runs_the_job(tmp_path: Path) -> None:
    # Given the package installed with its batch extra (this environment)
    # When the batch command is asked for its help
    result = run_batch_command("--help", cwd=tmp_path)
    # Then it is the job's command line
    assert result.returncode == 0, result.stderr
    assert "--partition-rows" in result.stdout
    assert MISSING_EXTRA not in result.stderr
