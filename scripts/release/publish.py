"""Publish the model package: build sdist and wheel, check them, upload them.

    make publish          # = python scripts/release/publish.py --package-dir package

The index comes from the environment, as twine reads it: ``TWINE_REPOSITORY_URL``,
``TWINE_USERNAME``, ``TWINE_PASSWORD`` (a private index; for a local one see
``scripts/release/local_index.py``). All three are required, so nothing is ever sent to
pypi.org by accident.

Steps, each named when it fails:

1. **model**: the package folder holds this version's trained model (train first:
   ``make run-package``), because the wheel carries it.
2. **build**: ``python -m build --sdist --wheel --no-isolation`` (the locked setuptools,
   no download), into ``--dist-dir``.
3. **contents**: the wheel holds
   ``regression_model/trained_models/regression_model_output_v<VERSION>.skops``.
4. **check**: ``twine check --strict`` (metadata and README render on an index page).
5. **upload**: ``twine upload``. An index refuses a version it already holds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REQUIRED_VARIABLES = ("TWINE_REPOSITORY_URL", "TWINE_USERNAME", "TWINE_PASSWORD")


class StepFailed(Exception):
    """A publishing step failed; the message starts with the step's name."""


def run(step: str, command: list[str]) -> str:
    """Run one step's command; raise :class:`StepFailed` with its output on failure."""
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise StepFailed(
            f"{step}: `{' '.join(command)}` failed:\n{result.stdout}{result.stderr}"
        )
    return result.stdout


def model_file_name(package_dir: Path) -> str:
    """This version's model file, as the package names it."""
    version = (package_dir / "regression_model" / "VERSION").read_text().strip()
    return f"regression_model_output_v{version}.skops"


def publish(package_dir: Path, dist_dir: Path) -> list[Path]:
    """Build, check and upload; return the uploaded files."""
    missing = [name for name in REQUIRED_VARIABLES if not os.environ.get(name)]
    if missing:
        raise StepFailed(
            f"index: set {', '.join(missing)} (the index to upload to); for a local "
            'one: eval "$(.venv/bin/python scripts/release/local_index.py start)"'
        )
    model = model_file_name(package_dir)
    if not (package_dir / "regression_model" / "trained_models" / model).is_file():
        raise StepFailed(
            f"model: no trained_models/{model} in {package_dir}: "
            "train first (make run-package)"
        )

    shutil.rmtree(dist_dir, ignore_errors=True)
    python = sys.executable
    run(
        "build",
        [
            python,
            "-m",
            "build",
            "--sdist",
            "--wheel",
            "--no-isolation",
            str(package_dir),
            "--outdir",
            str(dist_dir),
        ],
    )
    files = sorted(dist_dir.glob("*"))
    [wheel] = [path for path in files if path.suffix == ".whl"]
    with zipfile.ZipFile(wheel) as archive:
        if f"regression_model/trained_models/{model}" not in archive.namelist():
            raise StepFailed(f"contents: {wheel.name} does not carry {model}")

    run("check", [python, "-m", "twine", "check", "--strict", *map(str, files)])
    run(
        "upload",
        [
            python,
            "-m",
            "twine",
            "upload",
            "--non-interactive",
            "--disable-progress-bar",
            *map(str, files),
        ],
    )
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--package-dir", type=Path, default=Path("package"))
    parser.add_argument("--dist-dir", type=Path, default=Path("package/dist"))
    args = parser.parse_args(argv)
    try:
        files = publish(args.package_dir, args.dist_dir)
    except StepFailed as failure:
        print(f"publish FAILED at step {failure}", file=sys.stderr)
        return 1
    url = os.environ["TWINE_REPOSITORY_URL"]
    for path in files:
        print(f"published {path.name} to {url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
