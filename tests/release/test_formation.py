"""A formation (scripts/formation/): 2 replicas behind HAProxy lose no request.

Beyond the course. One formation of the session's image runs for this module, as a
child process in its own process group (stopped by its pid in a finalizer, then any
container left with its label removed, also when a test fails). Under a bounded load
of 8 clients posting one house to ``/api/v1/predict`` through the router, a rollout
and a SIGKILL of one replica each cost no request.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from scripts.formation.containers import FORMATION_LABEL
from scripts.formation.router import Router
from scripts.formation.state import read_json, state_dir
from scripts.release.common import engine_environment
from scripts.release.image_check import rows_of_test_csv
from tests.release.conftest import ROOT, clean_environment, skip_or_fail

REPLICAS = 2
CLIENTS = 8
MAX_REQUESTS = 2000  # the load's bounds: whichever comes first
MAX_SECONDS = 40.0
PAUSE_S = 0.15  # between one client's requests: the load lasts through a rollout
START_TIMEOUT_S = 180.0


@dataclass
class RunningFormation:
    """The formation under test: its port, state folder, process and environment."""

    port: int
    folder: Path
    process: subprocess.Popen[bytes]
    environment: dict[str, str]
    engine: str

    def state(self) -> dict[str, Any]:
        state = read_json(self.folder / "state.json")
        assert state is not None, "the formation wrote no state.json"
        return state

    def containers(self) -> set[str]:
        return {replica["container"] for replica in self.state()["replicas"]}

    def up(self) -> list[str]:
        return Router(self.folder).up_slots()

    def wait_for(self, what: str, condition: Any) -> None:
        """Wait (bounded) until ``condition()``; fail if the formation exits first."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while not condition():
            assert self.process.poll() is None, f"the formation exited: {what}"
            assert time.monotonic() < deadline, f"timed out waiting: {what}"
            time.sleep(0.25)

    def healthy(self, size: int) -> bool:
        try:
            return len(self.state()["replicas"]) == size and len(self.up()) == size
        except (AssertionError, OSError, KeyError):
            return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def formation(
    api_image: str, container_engine: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningFormation]:
    """``python -m scripts.formation run`` with 2 replicas of the session's image."""
    if not (shutil.which("haproxy") or Path("/usr/sbin/haproxy").exists()):
        skip_or_fail("no haproxy (apt-get install haproxy)")
    runtime = tmp_path_factory.mktemp("runtime")
    port = free_port()
    env = clean_environment({"XDG_RUNTIME_DIR": str(runtime)})
    log = (runtime / "formation.log").open("wb")
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "scripts.formation", "run"),
            *("--replicas", str(REPLICAS), "--port", str(port), "--image", api_image),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: HAProxy goes with it
    )
    running = RunningFormation(
        port, state_dir(port, str(runtime)), process, env, container_engine
    )
    try:
        running.wait_for("2 replicas UP", lambda: running.healthy(REPLICAS))
        yield running
    finally:
        stop_formation(process, container_engine, port)
        log.close()
        print((runtime / "formation.log").read_text())


def stop_formation(process: subprocess.Popen[bytes], engine: str, port: int) -> None:
    """SIGTERM the formation, SIGKILL its group if it hangs; remove its containers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    env = engine_environment(engine)
    names = subprocess.run(
        [engine, "ps", "--all", "--filter", f"label={FORMATION_LABEL}={port}", "-q"],
        env=env,
        capture_output=True,
        text=True,
    ).stdout.split()
    if names:
        subprocess.run([engine, "rm", "--force", *names], env=env, capture_output=True)


def one_house() -> bytes:
    """The first house of data/test.csv as a /predict request's body."""
    return json.dumps({"inputs": rows_of_test_csv()[:1]}).encode()


@dataclass
class Load:
    """8 clients posting one house each, until stopped or a bound is reached."""

    url: str
    body: bytes = field(default_factory=one_house)
    answered: int = 0
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, deadline: float) -> None:
        headers = {"Content-Type": "application/json"}
        while not self.stop.is_set():
            with self.lock:
                sent = self.answered + len(self.failures)
            if sent >= MAX_REQUESTS or time.monotonic() > deadline:
                return
            request = urllib.request.Request(self.url, self.body, headers)
            try:
                with urllib.request.urlopen(request, timeout=30) as answer:
                    ok = answer.status == 200 and "predictions" in json.load(answer)
                    failure = None if ok else f"status {answer.status}"
            except OSError as error:  # HTTPError (a 5xx) is one too
                failure = repr(error)
            with self.lock:
                self.answered += failure is None
                self.failures += [] if failure is None else [failure]
            time.sleep(PAUSE_S)

    def __enter__(self) -> Load:
        deadline = time.monotonic() + MAX_SECONDS
        self.threads = [
            threading.Thread(target=self.client, args=(deadline,))
            for _ in range(CLIENTS)
        ]
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_a_rollout_replaces_every_replica_without_a_failed_request(
    formation: RunningFormation, api_image: str
) -> None:
    # Given a formation of 2 ready replicas under a load of 8 clients
    before = formation.containers()
    with Load(f"http://127.0.0.1:{formation.port}/api/v1/predict") as load:
        # When a rollout (of the same image) replaces its replicas
        rollout = subprocess.run(
            [
                *(sys.executable, "-m", "scripts.formation", "rollout"),
                *("--port", str(formation.port), "--image", api_image),
            ],
            cwd=ROOT,
            env=formation.environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
    # Then it succeeded, every request was answered, and only new replicas are UP
    assert rollout.returncode == 0, rollout.stdout + rollout.stderr
    assert load.failures == []
    assert load.answered > 0
    assert formation.containers().isdisjoint(before)
    assert len(formation.up()) == REPLICAS


def test_a_killed_replica_is_replaced_without_a_failed_request(
    formation: RunningFormation,
) -> None:
    # Given a formation of 2 ready replicas under a load of 8 clients
    formation.wait_for("2 replicas UP", lambda: formation.healthy(REPLICAS))
    victim = sorted(formation.containers())[0]
    with Load(f"http://127.0.0.1:{formation.port}/api/v1/predict") as load:
        # When one replica's container is killed with SIGKILL
        subprocess.run(
            [formation.engine, "kill", "--signal", "KILL", victim],
            env=engine_environment(formation.engine),
            check=True,
            capture_output=True,
        )
        # Then the formation replaces it: 2 replicas UP again, the victim not among them
        formation.wait_for(
            "a new replica",
            lambda: (
                victim not in formation.containers() and formation.healthy(REPLICAS)
            ),
        )
    # And no request failed
    assert load.failures == []
    assert load.answered > 0
