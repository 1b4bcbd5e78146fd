"""What the release scripts share: the repository's paths, a failing step, the engine.

Every release step either succeeds or raises :class:`StepFailed`, whose message starts
with the step's name; :func:`run_target` turns that into one line on stderr, such as
``image-test FAILED at step image: no image ...``, and exit code 1.

The container engine is podman, else docker if its daemon answers
(``CONTAINER_ENGINE`` chooses). Podman runs with
``CONTAINERS_CONF=deploy/containers.conf`` (runc and container limits some hosts need),
so the machine's own ``/etc/containers`` is left alone; on a host without systemd,
with ``DISABLE_HC_SYSTEMD=true`` too (no healthcheck timers to ask systemd for).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
API_REQUIREMENTS = ROOT / "api" / "requirements.txt"
LOCK = ROOT / "requirements" / "lock.txt"
VERSION_FILE = ROOT / "package" / "regression_model" / "VERSION"
CONTAINERS_CONF = ROOT / "deploy" / "containers.conf"
# present only while systemd runs the host (sd_booted(3))
SYSTEMD_RUNTIME = Path("/run/systemd/system")


class StepFailed(Exception):
    """A step of a release target failed.

    Parameters
    ----------
    step : str
        The step's name, as the target's output names it (``build``, ``upload``...).
    message : str
        What went wrong, with the failing command's output when there is one.
    """

    def __init__(self, step: str, message: str) -> None:
        super().__init__(f"{step}: {message}")
        self.step = step


def say(message: str) -> None:
    """Print one line of a target's progress, at once (make shows it as it comes)."""
    print(message, flush=True)


def run_target(target: str, action: Callable[[], object]) -> int:
    """Run a target's steps; on :class:`StepFailed`, name it on stderr and return 1."""
    try:
        action()
    except StepFailed as failure:
        print(f"{target} FAILED at step {failure}", file=sys.stderr)
        return 1
    return 0


def run(
    step: str,
    command: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    capture: bool = True,
    input_text: str | None = None,
) -> str:
    """Run ``command``; return its output, or raise :class:`StepFailed` with it.

    Parameters
    ----------
    step : str
        The step this command belongs to, for the error message.
    command : sequence of str
        The program and its arguments.
    env : dict, optional
        The environment (default: this process's).
    capture : bool, default=True
        Capture the output; ``False`` shows it as it comes (long builds and pushes).
    input_text : str, optional
        Text to send to standard input (a password, never on the command line).
    """
    result = subprocess.run(
        list(command),
        env=env,
        input=input_text,
        capture_output=capture,
        text=True,
    )
    if result.returncode != 0:
        output = f"{result.stdout or ''}{result.stderr or ''}".strip()
        raise StepFailed(step, f"`{' '.join(command)}` failed:\n{output}")
    return str(result.stdout or "")


def package_version() -> str:
    """The model package's version: package/regression_model/VERSION."""
    return VERSION_FILE.read_text().strip()


# -- the container engine --------------------------------------------------------------


def engine() -> str:
    """``podman``, or ``docker`` when podman is absent and docker's daemon answers."""
    chosen = os.environ.get("CONTAINER_ENGINE")
    if chosen:
        return chosen
    if shutil.which("podman"):
        return "podman"
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "info"], capture_output=True)
        if probe.returncode == 0:
            return "docker"
    raise StepFailed(
        "engine",
        "no container engine: install podman (Debian: apt-get install podman runc) "
        "or start Docker",
    )


def engine_environment(name: str) -> dict[str, str]:
    """This process's environment, with deploy/containers.conf for podman.

    On a host not booted with systemd (a container, WSL), podman 4 still asks systemd
    for a timer to run an image's ``HEALTHCHECK`` and logs two "unable to get systemd
    connection" errors per container; ``DISABLE_HC_SYSTEMD=true`` tells it not to ask
    (``podman healthcheck run`` still runs the check on demand).
    """
    env = dict(os.environ)
    if name == "podman":
        env.setdefault("CONTAINERS_CONF", str(CONTAINERS_CONF))
        if not SYSTEMD_RUNTIME.is_dir():
            env.setdefault("DISABLE_HC_SYSTEMD", "true")
    return env


def run_engine(
    name: str,
    args: Sequence[str],
    step: str,
    *,
    capture: bool = True,
    input_text: str | None = None,
) -> str:
    """Run ``<engine> args`` with the engine's environment, as :func:`run` does."""
    command = [name, *args]
    env = engine_environment(name)
    return run(step, command, env=env, capture=capture, input_text=input_text)


def engine_succeeds(name: str, args: Sequence[str]) -> bool:
    """Whether ``<engine> args`` exits with 0 (its output is dropped)."""
    result = subprocess.run(
        [name, *args], env=engine_environment(name), capture_output=True
    )
    return result.returncode == 0


def image_exists(name: str, tag: str) -> bool:
    """Whether the engine holds an image tagged ``tag``."""
    if name == "podman":
        return engine_succeeds(name, ["image", "exists", tag])
    return engine_succeeds(name, ["image", "inspect", tag])


def image_size_mb(name: str, tag: str) -> float:
    """The image's size in MB (10^6 bytes), as the engine reports it."""
    size = run_engine(name, ["image", "inspect", "--format", "{{.Size}}", tag], "size")
    return int(size.strip()) / 1e6
