"""PaaS files: heroku.yml (container stack) and the root Procfile (buildpacks)."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.release.conftest import ROOT, VERSION, clean_environment

START_TRIES = 120
START_TIMEOUT_S = 60.0


def procfile_processes() -> dict[str, str]:
    """The Procfile's ``name: command`` lines."""
    lines = (ROOT / "Procfile").read_text().splitlines()
    pairs = [line.split(":", 1) for line in lines if line.strip()]
    return {name.strip(): command.strip() for name, command in pairs}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """What a buildpack platform runs from: the repository's api/app, nothing else."""
    shutil.copytree(
        ROOT / "api" / "app",
        tmp_path / "api" / "app",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copy2(ROOT / "Procfile", tmp_path / "Procfile")
    return tmp_path


@pytest.fixture
def web_process(fresh_install: Path, checkout: Path) -> Iterator[str]:
    """The Procfile's web command, started as a platform does; yields its URL."""
    port = free_port()
    env = clean_environment({"HOST": "127.0.0.1", "PORT": str(port)})
    env["PATH"] = f"{fresh_install}{os.pathsep}{env.get('PATH', '')}"
    # The shell may run the server as its child: a session of their own lets the
    # teardown stop both, by process group.
    process = subprocess.Popen(
        ["sh", "-c", procfile_processes()["web"]],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(url, process)
        yield url
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen[str]) -> None:
    """SIGTERM the process's group, then SIGKILL it if it is still there in 10 s."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    for _ in range(50):  # the group's other members (the server under sh), at most 5 s
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGKILL)


def wait_for_health(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    for _ in range(START_TRIES):
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"the web process exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2):
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    pytest.fail(f"the web process did not answer in {START_TIMEOUT_S:.0f} s")


def test_heroku_yml_builds_the_api_dockerfile_on_the_container_stack() -> None:
    # Given heroku.yml
    # When it is parsed
    manifest = yaml.safe_load((ROOT / "heroku.yml").read_text())

    # Then its web process is built from api/Dockerfile, which exists
    assert manifest["build"]["docker"] == {"web": "api/Dockerfile"}
    assert (ROOT / manifest["build"]["docker"]["web"]).is_file()


def test_procfile_declares_one_web_process_on_the_platform_port() -> None:
    # Given the root Procfile
    # When its processes are read
    processes = procfile_processes()

    # Then there is a web process, listening on the port the platform gives
    assert list(processes) == ["web"]
    words = shlex.split(processes["web"])
    assert words[: words.index("exec") + 4] == [
        *["cd", "api", "&&", "exec"],
        *["python", "-m", "app.server"],
    ]
    assert words[words.index("--port") + 1] == "${PORT:-8001}"


def test_procfile_web_command_serves_the_api_from_a_fresh_install(
    web_process: str,
) -> None:
    # Given the Procfile's web command running on the fresh install from the index
    # When a row is priced
    request = urllib.request.Request(
        f"{web_process}/api/v1/predict",
        data=b'{"inputs": [{"OverallQual": 7, "GrLivArea": 1800}]}',
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        body = answer.read().decode()
    with urllib.request.urlopen(f"{web_process}/api/v1/health") as health:
        versions = health.read().decode()

    # Then the API answers with the released model's version
    assert '"predictions":[' in body
    assert f'"model_version":"{VERSION}"' in versions
