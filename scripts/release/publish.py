"""Publish the model package: build sdist and wheel, check them, upload them.

    make publish   # = python -m scripts.release.publish --package-dir package

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
5. **upload**: ``twine upload``. An index refuses a version it already holds, and
   the step says so in one line: a released version never changes, a new one needs
   a new VERSION.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import zipfile
from pathlib import Path

from scripts.release.common import ROOT, StepFailed, run, run_target, say

REQUIRED_VARIABLES = ("TWINE_REPOSITORY_URL", "TWINE_USERNAME", "TWINE_PASSWORD")
TWINE = (sys.executable, "-m", "twine", "--no-color")
# What an index answers to a file it already holds: pypiserver and PyPI, some others.
ALREADY_HELD = ("400 Bad Request", "409 Conflict")


def package_version(package_dir: Path) -> str:
    """The version of the package in ``package_dir`` (its VERSION file)."""
    return (package_dir / "regression_model" / "VERSION").read_text().strip()


def model_file_name(package_dir: Path) -> str:
    """This version's model file, as the package names it."""
    return f"regression_model_output_v{package_version(package_dir)}.skops"


def upload(files: list[Path], version: str) -> None:
    """``twine upload``; a version the index already holds is said in one line.

    An index answers one of :data:`ALREADY_HELD` to a file it already holds; twine's
    many lines about it become one.
    """
    command = [*TWINE, "upload", "--non-interactive", "--disable-progress-bar"]
    try:
        run("upload", [*command, *map(str, files)])
    except StepFailed as failure:
        answers = [code for code in ALREADY_HELD if code in str(failure)]
        if not answers:
            raise
        url = os.environ["TWINE_REPOSITORY_URL"]
        raise StepFailed(
            "upload",
            f"regression-model {version} already exists on the index {url} (it "
            f"answered {answers[0]}): a released version never changes; raise "
            "package/regression_model/VERSION to publish again",
        ) from failure


def publish(package_dir: Path, dist_dir: Path) -> list[Path]:
    """Build, check and upload the package; return the uploaded files.

    Parameters
    ----------
    package_dir : Path
        The package's folder (``package/``), with this version's model trained into it.
    dist_dir : Path
        Where to build the sdist and the wheel; emptied first.
    """
    missing = [name for name in REQUIRED_VARIABLES if not os.environ.get(name)]
    if missing:
        raise StepFailed(
            "index",
            f"set {', '.join(missing)} (the index to upload to); for a local one: "
            'eval "$(.venv/bin/python scripts/release/local_index.py start)"',
        )
    model = model_file_name(package_dir)
    if not (package_dir / "regression_model" / "trained_models" / model).is_file():
        raise StepFailed(
            "model",
            f"no trained_models/{model} in {package_dir}: train first "
            "(make run-package)",
        )

    shutil.rmtree(dist_dir, ignore_errors=True)
    python = sys.executable
    build = [python, "-m", "build", "--sdist", "--wheel", "--no-isolation"]
    run("build", [*build, str(package_dir), "--outdir", str(dist_dir)])
    files = sorted(dist_dir.glob("*"))
    [wheel] = [path for path in files if path.suffix == ".whl"]
    with zipfile.ZipFile(wheel) as archive:
        if f"regression_model/trained_models/{model}" not in archive.namelist():
            raise StepFailed("contents", f"{wheel.name} does not carry {model}")

    run("check", [*TWINE, "check", "--strict", *map(str, files)])
    upload(files, package_version(package_dir))
    url = os.environ["TWINE_REPOSITORY_URL"]
    for path in files:
        say(f"published {path.name} to {url}")
    return files


def main(argv: list[str] | None = None) -> int:
    """Command line: ``[--package-dir FOLDER] [--dist-dir FOLDER]``."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--package-dir", type=Path, default=ROOT / "package")
    parser.add_argument("--dist-dir", type=Path, default=ROOT / "package" / "dist")
    args = parser.parse_args(argv)
    return run_target("publish", lambda: publish(args.package_dir, args.dist_dir))


if __name__ == "__main__":
    raise SystemExit(main())
