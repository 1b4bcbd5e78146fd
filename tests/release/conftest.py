"""Fixtures for the release tests: a trained copy of the package, a local index, the
package published to it, the wheelhouse, a fresh install and the container image.

Each is made once per session, in temporary folders: nothing is trained or written
into the source tree. Every step runs the ``make`` target that a person (or the
release workflow) runs, and a failure names that target.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.release.local_index import LocalIndex, running_index

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / "data"
LOCK = ROOT / "requirements" / "lock.txt"
API_REQUIREMENTS = ROOT / "api" / "requirements.txt"
VERSION = (ROOT / "package" / "regression_model" / "VERSION").read_text().strip()
TEST_IMAGE = "localhost/house-prices-api:release-test"
# Variables of the outer `make test` that must not leak into a nested `make`, and
# settings that would point a fresh install back into the repository.
LEAKY_VARIABLES = (
    *("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHONPATH", "VIRTUAL_ENV"),
    *("REGRESSION_MODEL_TRAINED_DIR", "REGRESSION_MODEL_DATA_DIR"),
)


def skip_or_fail(reason: str) -> None:
    """Skip on a user's machine; in CI (``CI`` set) a missing tool is a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"CI must be able to run this: {reason}")
    pytest.skip(reason)


def clean_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in LEAKY_VARIABLES}
    env.update(extra or {})
    return env


def make(
    target: str, *variables: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``make target VAR=value ...`` at the repository root; never raises."""
    return subprocess.run(
        ["make", "--no-print-directory", target, *variables],
        cwd=ROOT,
        env=clean_environment(env),
        capture_output=True,
        text=True,
        timeout=900,
    )


def check_step(result: subprocess.CompletedProcess[str], step: str) -> str:
    """Fail the test with the step's name and output unless it succeeded."""
    output = f"{result.stdout}{result.stderr}"
    if result.returncode != 0:
        pytest.fail(f"step `{step}` failed (exit {result.returncode}):\n{output}")
    return output


@pytest.fixture(scope="session")
def kaggle_data() -> Path:
    """data/ with train.csv and test.csv (skips without them, except in CI)."""
    missing = [n for n in ("train.csv", "test.csv") if not (DATA_DIR / n).is_file()]
    if missing:
        skip_or_fail(f"run `make data` first; missing in data/: {missing}")
    return DATA_DIR


@pytest.fixture(scope="session")
def trained_package(
    kaggle_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of package/ with this version's model trained into it.

    Trained as the package documents (``python -m regression_model.train_pipeline``),
    told where to read and where to save.
    """
    copy = tmp_path_factory.mktemp("release") / "package"
    shutil.copytree(
        ROOT / "package",
        copy,
        ignore=ignore_builds_and_models,
    )
    result = subprocess.run(
        [
            *(sys.executable, "-m", "regression_model.train_pipeline"),
            *("--data-dir", str(kaggle_data), "--trained-dir", str(trained_dir(copy))),
        ],
        env=clean_environment(),
        capture_output=True,
        text=True,
    )
    check_step(result, "train the package copy")
    return copy


def ignore_builds_and_models(folder: str, names: list[str]) -> set[str]:
    """What not to copy from package/: build leftovers and any trained model."""
    ignored = shutil.ignore_patterns(
        "build", "dist", "*.egg-info", "__pycache__", ".tox"
    )
    skipped = set(ignored(folder, names))
    if Path(folder).name == "trained_models":
        skipped |= {n for n in names if n.endswith((".skops", ".json"))}
    return skipped


def trained_dir(package_dir: Path) -> Path:
    """Where a package folder keeps its trained model."""
    return package_dir / "regression_model" / "trained_models"


@pytest.fixture(scope="session")
def local_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalIndex]:
    """A pypiserver on 127.0.0.1 for this session, stopped at its end."""
    with running_index(tmp_path_factory.mktemp("index")) as index:
        yield index


@pytest.fixture(scope="session")
def published(
    trained_package: Path,
    local_index: LocalIndex,
    tmp_path_factory: pytest.TempPathFactory,
) -> list[Path]:
    """``make publish`` of the trained copy to the local index; the uploaded files."""
    dist = tmp_path_factory.mktemp("dist")
    result = make(
        "publish",
        f"PACKAGE_DIR={trained_package}",
        f"DIST_DIR={dist}",
        env=local_index.environment(),
    )
    check_step(result, "make publish")
    return sorted(dist.iterdir())


@pytest.fixture(scope="session")
def wheelhouse(
    published: list[Path],
    local_index: LocalIndex,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """``make wheelhouse``: the released model from the index, the rest locked."""
    folder = tmp_path_factory.mktemp("wheelhouse")
    result = make("wheelhouse", f"WHEELHOUSE={folder}", env=local_index.environment())
    check_step(result, "make wheelhouse")
    return folder


@pytest.fixture(scope="session")
def fresh_install(wheelhouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the API's requirements; returns its bin/.

    Installed as the image installs them: api/requirements.txt (which pins the
    released model) from the wheelhouse only, with the lock file as constraints.
    """
    venv = tmp_path_factory.mktemp("fresh") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    result = subprocess.run(
        [
            *(str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"),
            *("--no-index", "--find-links", str(wheelhouse / "deps")),
            *("--find-links", str(wheelhouse / "model")),
            *("-c", str(LOCK), "-r", str(API_REQUIREMENTS)),
        ],
        env=clean_environment(),
        capture_output=True,
        text=True,
    )
    check_step(result, "pip install -r api/requirements.txt into a fresh venv")
    return venv / "bin"


@pytest.fixture(scope="session")
def container_engine() -> str:
    """podman (or docker with a running daemon); skips without one, except in CI."""
    if shutil.which("podman"):
        return "podman"
    if shutil.which("docker") and (
        subprocess.run(["docker", "info"], capture_output=True).returncode == 0
    ):
        return "docker"
    skip_or_fail("no container engine (apt-get install podman runc debootstrap)")
    return ""  # not reached


@pytest.fixture(scope="session")
def api_image(container_engine: str, wheelhouse: Path) -> str:
    """``make image`` from the session's wheelhouse; returns the image's tag."""
    result = make("image", f"WHEELHOUSE={wheelhouse}", f"IMAGE={TEST_IMAGE}")
    check_step(result, "make image")
    return TEST_IMAGE
