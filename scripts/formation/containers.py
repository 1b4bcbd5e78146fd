"""One replica: a container of the API's image on its own port (beyond the course).

Every replica is a container started detached from the same image, published on
127.0.0.1 only (the engine picks a free port: nothing outside this machine reaches
it; the router does), and labelled ``house-prices.formation=<port>`` and
``house-prices.replica=<slot>``, so that every container of a formation can be found,
and removed, by its label even after a crash.

A replica is *ready* when ``GET /api/v1/health/ready`` answers 200: the model is
loaded and the replica is not draining. On SIGTERM (``podman stop``) the API answers
503 there first, for a few seconds, so routers stop sending it requests, then finishes
the requests it has and exits.
"""

from __future__ import annotations

import secrets
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from typing import Any

from scripts.release.common import engine_environment, run_engine

CONTAINER_PORT = 8001  # the image's default $PORT
READY_PATH = "/api/v1/health/ready"
FORMATION_LABEL = "house-prices.formation"
REPLICA_LABEL = "house-prices.replica"
READY_TIMEOUT_S = 90.0
STOP_GRACE_S = 15  # SIGTERM, then SIGKILL after this long


@dataclass(frozen=True)
class Replica:
    """A running replica: its router slot, container, host port and image."""

    slot: str
    container: str
    port: int
    image: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def container_name(formation_port: int, slot: str) -> str:
    """A new, unique container name for ``slot`` of the formation on a port."""
    return f"house-prices-formation-{formation_port}-{slot}-{secrets.token_hex(3)}"


def start(
    engine: str, image: str, formation_port: int, slot: str, name: str
) -> Replica:
    """Start a container ``name`` of ``image`` for ``slot`` (maybe not ready yet)."""
    run_engine(
        engine,
        [
            *("run", "--detach", "--name", name),
            *("--label", f"{FORMATION_LABEL}={formation_port}"),
            *("--label", f"{REPLICA_LABEL}={slot}"),
            *("--publish", f"127.0.0.1::{CONTAINER_PORT}"),
            image,
        ],
        "start",
    )
    address = run_engine(engine, ["port", name, str(CONTAINER_PORT)], "start")
    port = int(address.split()[0].rsplit(":", 1)[1])
    return Replica(slot=slot, container=name, port=port, image=image)


def is_ready(replica: Replica) -> bool:
    """One look at the replica's readiness: 200 on ``READY_PATH``."""
    try:
        with urllib.request.urlopen(replica.url + READY_PATH, timeout=2) as answer:
            return bool(answer.status == 200)
    except (OSError, urllib.error.HTTPError):
        return False


def wait_ready(engine: str, replica: Replica, timeout: float = READY_TIMEOUT_S) -> None:
    """Wait until ``replica`` is ready; ``RuntimeError`` if it dies or times out."""
    deadline = time.monotonic() + timeout
    while not is_ready(replica):
        if replica.container not in running(engine, None):
            raise RuntimeError(
                f"{replica.container} exited while starting:\n{logs(engine, replica)}"
            )
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"{replica.container} not ready after {timeout:.0f} s:\n"
                f"{logs(engine, replica)}"
            )
        time.sleep(0.25)


def names(engine: str, formation_port: int | None, *, stopped: bool) -> set[str]:
    """Names of the formations' running containers (``stopped``: and the others).

    Of the formation on ``formation_port``, or of every formation when it is ``None``.
    """
    label = FORMATION_LABEL
    if formation_port is not None:
        label += f"={formation_port}"
    every = ["--all"] if stopped else []
    command = ["ps", *every, "--filter", f"label={label}", "--format", "{{.Names}}"]
    return set(run_engine(engine, command, "ps").split())


def running(engine: str, formation_port: int | None) -> set[str]:
    """Names of the running containers (of one formation, given its port)."""
    return names(engine, formation_port, stopped=False)


def labelled(engine: str, formation_port: int | None) -> set[str]:
    """Names of every container, running or not (of one formation, given a port)."""
    return names(engine, formation_port, stopped=True)


def stop(engine: str, name: str) -> None:
    """Stop gracefully (SIGTERM: the replica drains, then exits), then remove."""
    subprocess.run(
        [engine, "rm", "--force", "--time", str(STOP_GRACE_S), name],
        env=engine_environment(engine),
        capture_output=True,
    )


def remove(engine: str, containers: set[str]) -> None:
    """Remove containers at once (a short grace: the formation is going away).

    Every name must exist: podman 4.3 removes none of them when one is missing.
    """
    if containers:
        subprocess.run(
            [engine, "rm", "--force", "--time", "2", *sorted(containers)],
            env=engine_environment(engine),
            capture_output=True,
        )


def logs(engine: str, replica: Replica) -> str:
    """The container's last 20 lines of output, for an error message."""
    result = subprocess.run(
        [engine, "logs", "--tail", "20", replica.container],
        env=engine_environment(engine),
        capture_output=True,
        text=True,
    )
    return result.stdout + result.stderr
