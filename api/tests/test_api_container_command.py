"""The container's start command and health check work on a fresh install.

There is no Docker engine here, so this test does what the Dockerfile does, outside
a container: build the package's wheel, install it and ``api/requirements.txt`` into a
new virtual environment (with the repository's exact versions), copy ``api/app`` into
a folder outside the repository, and run the Dockerfile's ``CMD`` from there. Then the
Dockerfile's ``HEALTHCHECK`` and the ``Procfile``'s web command are run against it too.
Only the listening address differs: 127.0.0.1 instead of the container's 0.0.0.0.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pytest
import regression_model

ROOT = Path(__file__).resolve().parents[2]
API_DIR = ROOT / "api"
DOCKERFILE = API_DIR / "Dockerfile"
PROCFILE = API_DIR / "Procfile"
START_TIMEOUT_S = 60
# Settings that would point the fresh install back into the repository.
LEAKY_VARIABLES = ("PYTHONPATH", "VIRTUAL_ENV", "REGRESSION_MODEL_TRAINED_DIR")


def dockerfile_instruction(keyword: str) -> str:
    """The last ``keyword`` instruction of the Dockerfile, continuation lines joined."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [line for line in lines if line.startswith(f"{keyword} ")][-1]


def start_command() -> list[str]:
    """The Dockerfile's ``CMD``, in exec (JSON) form."""
    command: list[str] = json.loads(dockerfile_instruction("CMD")[len("CMD ") :])
    return command


def healthcheck_command() -> str:
    """The shell command of the Dockerfile's ``HEALTHCHECK ... CMD``."""
    return dockerfile_instruction("HEALTHCHECK").split(" CMD ", 1)[1]


def procfile_web_command() -> str:
    """The ``web:`` process of the Procfile."""
    [line] = [x for x in PROCFILE.read_text().splitlines() if x.startswith("web:")]
    return line.removeprefix("web:").strip()


def run(command: list[str], **kwargs: object) -> None:
    """Run a build step; on failure, show its output."""
    result = subprocess.run(command, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}{result.stderr}"


@pytest.fixture(scope="module")
def installed_service(
    trained_model: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A fresh venv with the wheel and the API's requirements, and a copy of app/.

    Returns the folder to start the service from (the image's WORKDIR).
    """
    tmp = tmp_path_factory.mktemp("container")
    # Build from a copy, so the build leaves nothing in the repository.
    package_copy = tmp / "package"
    shutil.copytree(
        ROOT / "package",
        package_copy,
        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", ".tox"),
    )
    # The wheel carries the model: the session's, trained outside the source tree.
    models = package_copy / "regression_model" / "trained_models"
    for trained_file in trained_model.iterdir():
        if trained_file.suffix in {".skops", ".json"}:
            shutil.copy2(trained_file, models / trained_file.name)
    run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            str(package_copy),
            "-o",
            str(tmp / "dist"),
        ]
    )
    [wheel] = (tmp / "dist").glob("*.whl")

    venv = tmp / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "-c",
            str(ROOT / "requirements" / "lock.txt"),
            str(wheel),
            "-r",
            str(API_DIR / "requirements.txt"),
        ]
    )

    workdir = tmp / "srv"
    shutil.copytree(
        API_DIR / "app", workdir / "app", ignore=shutil.ignore_patterns("__pycache__")
    )
    return workdir


def service_environment(workdir: Path, port: int) -> dict[str, str]:
    """The container's environment: the venv first on PATH, HOST and PORT set."""
    env = {k: v for k, v in os.environ.items() if k not in LEAKY_VARIABLES}
    venv_bin = workdir.parent / "venv" / "bin"
    env["PATH"] = f"{venv_bin}{os.pathsep}{env.get('PATH', '')}"
    env["HOST"] = "127.0.0.1"
    env["PORT"] = str(port)
    return env


@contextlib.contextmanager
def serving(command: list[str], workdir: Path, port: int) -> Iterator[str]:
    """Run ``command`` as the container would; yield its URL once it is healthy."""
    process = subprocess.Popen(
        command,
        cwd=workdir,
        env=service_environment(workdir, port),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: `sh -c` and its uvicorn
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield url
    finally:
        # Stop the whole group: terminating only `sh` would leave uvicorn running.
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_until_healthy(url: str, process: subprocess.Popen[str]) -> None:
    """Poll ``/api/v1/health`` until it answers 200; fail if the process exits."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"the service exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{url}/api/v1/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail(f"{url} did not become healthy in {START_TIMEOUT_S} s")


def test_image_command_serves_the_model_of_the_installed_wheel(
    installed_service: Path, free_port: int
) -> None:
    # Given the wheel and the API installed as the Dockerfile installs them
    # When the Dockerfile's CMD runs, outside the repository
    with serving(start_command(), installed_service, free_port) as url:
        health = httpx.get(f"{url}/api/v1/health").json()
        answer = httpx.post(f"{url}/api/v1/predict", json={"inputs": [{}]})
        healthcheck = subprocess.run(
            ["sh", "-c", healthcheck_command()],
            env=service_environment(installed_service, free_port),
            capture_output=True,
        )

    # Then it serves this version's model, prices a row, and passes its HEALTHCHECK
    assert health["model_version"] == regression_model.__version__
    assert answer.status_code == 200
    assert answer.json()["predictions"][0] > 0
    assert healthcheck.returncode == 0, healthcheck.stderr


def test_procfile_web_command_serves_the_api(
    installed_service: Path, free_port: int
) -> None:
    # Given the same installation
    # When the Procfile's web process runs (a PaaS sets PORT)
    with serving(
        ["sh", "-c", procfile_web_command()], installed_service, free_port
    ) as url:
        response = httpx.get(f"{url}/api/v1/health")

    # Then the API answers
    assert response.status_code == 200


def test_healthcheck_fails_when_nothing_answers(
    installed_service: Path, free_port: int
) -> None:
    # Given no service listening on PORT
    # When the Dockerfile's HEALTHCHECK runs
    healthcheck = subprocess.run(
        ["sh", "-c", healthcheck_command()],
        env=service_environment(installed_service, free_port),
        capture_output=True,
    )

    # Then it reports the container unhealthy
    assert healthcheck.returncode != 0


def site_packages_snapshot(venv: Path) -> dict[str, int]:
    """Every file under the venv's site-packages with its size and mtime (ns)."""
    [site_packages] = (venv / "lib").glob("python*/site-packages")
    return {
        str(path.relative_to(site_packages)): path.stat().st_mtime_ns
        + path.stat().st_size
        for path in site_packages.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_installed_cli_predicts_from_any_folder_and_writes_nothing_inside_the_package(
    installed_service: Path, tmp_path: Path, kaggle_test_frame: pd.DataFrame
) -> None:
    # Given the wheel installed in a fresh venv, and an empty folder elsewhere
    venv = installed_service.parent / "venv"
    before = site_packages_snapshot(venv)
    here = tmp_path / "empty"
    here.mkdir()
    kaggle_test_frame.head(25).to_csv(tmp_path / "houses.csv", index=False)

    # When the package's CLI prices a file from that folder, without --output
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "regression_model.predict"]
        + ["--input", str(tmp_path / "houses.csv")],
        cwd=here,
        env=service_environment(installed_service, 0),
        capture_output=True,
        text=True,
    )

    # Then it writes predictions.csv right there, and site-packages is unchanged
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in here.iterdir()) == ["predictions.csv"]
    written = pd.read_csv(here / "predictions.csv")
    assert written["Id"].tolist() == kaggle_test_frame["Id"].head(25).tolist()
    assert site_packages_snapshot(venv) == before
