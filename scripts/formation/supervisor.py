"""The formation's supervisor: start, watch, replace, stop (beyond the course).

``python -m scripts.formation run`` is one foreground process that owns everything it
starts: HAProxy (a child process) and N containers. Once a second it looks at them:

* a replica whose container is gone (killed with SIGKILL, exited) is taken out of the
  router and replaced by a new one, in a free slot, added once it is ready;
* a rollout asked for in the state folder (``rollout-request.json``, see
  :mod:`scripts.formation.rollout`) is carried out, one replica at a time;
* HAProxy exiting is an error: the formation stops.

Ctrl-C or SIGTERM, or any error, stops every container it started (by name, then any
left with the formation's label) and the HAProxy it started (by its pid). Requests
never wait on the supervisor: between its looks, HAProxy's own checks and retries keep
them away from a dead replica.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from types import FrameType
from typing import Any

from scripts.formation import containers, rollout
from scripts.formation.containers import Replica
from scripts.formation.router import Router, render, slot_names
from scripts.formation.state import read_json, write_json
from scripts.release.common import say

POLL_S = 1.0


class Stopped(Exception):
    """Raised in the main thread by SIGINT or SIGTERM: unwind, clean up, exit."""


def raise_stopped(signum: int, frame: FrameType | None) -> None:
    raise Stopped(signal.Signals(signum).name)


class Formation:
    """N replicas of ``image`` behind HAProxy on 127.0.0.1:``port``.

    Parameters
    ----------
    engine : str
        The container engine (podman or docker).
    image : str
        The API image the replicas run.
    port : int
        The router's port; also the formation's name (label, state folder).
    replicas : int
        How many replicas to keep ready.
    folder : Path
        The state folder (:func:`scripts.formation.state.state_dir`).
    """

    def __init__(
        self, engine: str, image: str, port: int, replicas: int, folder: Path
    ) -> None:
        self.engine, self.image, self.port, self.size = engine, image, port, replicas
        self.folder = folder
        self.slots = slot_names(2 * replicas)  # room for a new one beside each old
        self.router = Router(folder)
        self.replicas: dict[str, Replica] = {}
        self.started: set[str] = set()  # every container name, before it even runs
        self.last_rollout: dict[str, Any] | None = None

    # -- the replicas ------------------------------------------------------------

    def add_replica(self, image: str) -> Replica:
        """Start a replica in a free slot, wait until ready, add it to the router."""
        slot = next(s for s in self.slots if s not in self.replicas)
        name = containers.container_name(self.port, slot)
        self.started.add(name)
        replica = containers.start(self.engine, image, self.port, slot, name)
        self.replicas[slot] = replica
        self.save()
        try:
            containers.wait_ready(self.engine, replica)
            self.router.attach(slot, replica.port)
            self.router.wait_up(slot)
        except (RuntimeError, OSError):  # never leave a slot to a replica not ready
            self.router.detach(slot)
            containers.remove(self.engine, {name})
            self.replicas.pop(slot)
            self.save()
            raise
        say(f"formation: {slot} ready ({replica.container}, 127.0.0.1:{replica.port})")
        return replica

    def retire(self, replica: Replica) -> None:
        """Drain ``replica`` in the router, take it out, stop its container."""
        self.router.drain(replica.slot)
        self.router.detach(replica.slot)
        containers.stop(self.engine, replica.container)
        self.replicas.pop(replica.slot, None)
        self.save()

    def replace_dead(self) -> None:
        """Replace every replica whose container is no longer running."""
        alive = containers.running(self.engine, self.port)
        for replica in [r for r in self.replicas.values() if r.container not in alive]:
            say(f"formation: {replica.container} is gone: replacing {replica.slot}")
            self.router.detach(replica.slot)
            containers.remove(self.engine, {replica.container})
            self.replicas.pop(replica.slot)
            self.add_replica(replica.image)

    # -- the state file ----------------------------------------------------------

    def save(self) -> None:
        """Record the formation in ``state.json`` (read by ``make rollout``, tests)."""
        write_json(
            self.folder / "state.json",
            {
                "pid": os.getpid(),
                "port": self.port,
                "image": self.image,
                "haproxy_pid": self.router.process.pid if self.router.process else None,
                "replicas": [r.to_json() for r in self.replicas.values()],
                "rollout": self.last_rollout,
            },
        )

    # -- the whole life ----------------------------------------------------------

    def run(self) -> None:
        """Start, then watch until a signal or an error; always clean up."""
        signal.signal(signal.SIGTERM, raise_stopped)
        signal.signal(signal.SIGINT, raise_stopped)
        try:
            stale = containers.labelled(self.engine, self.port)
            if stale:  # left by a formation that was itself killed (SIGKILL)
                say(f"formation: removing {len(stale)} containers of an earlier run")
                containers.remove(self.engine, stale)
            render(self.folder, self.port, len(self.slots), containers.READY_PATH)
            self.router.start()
            for _ in range(self.size):
                self.add_replica(self.image)
            say(
                f"formation: {self.size} replicas of {self.image} behind "
                f"http://127.0.0.1:{self.port} (Ctrl-C stops them)"
            )
            while True:
                time.sleep(POLL_S)
                if not self.router.alive():
                    raise RuntimeError("haproxy exited")
                self.replace_dead()
                self.take_rollout_request()
        except Stopped as stop:
            say(f"formation: {stop}: stopping")
        finally:
            self.shutdown()

    def take_rollout_request(self) -> None:
        """Carry out the rollout asked for in the state folder, if one is."""
        request = read_json(self.folder / rollout.REQUEST_FILE)
        if request is None:
            return
        (self.folder / rollout.REQUEST_FILE).unlink()
        self.last_rollout = {"id": request["id"], "status": "running"}
        self.save()
        self.last_rollout = rollout.roll_out(self, request["image"], request["id"])
        self.save()

    def shutdown(self) -> None:
        """Remove every container started (and any left labelled), stop HAProxy."""
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C waits
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        leftovers = set()
        try:  # only names that exist: podman 4.3 removes none if one is missing
            leftovers = self.started & containers.labelled(self.engine, None)
            leftovers |= containers.labelled(self.engine, self.port)
        finally:
            containers.remove(self.engine, leftovers)
            self.router.stop()
            for name in ("state.json", rollout.REQUEST_FILE, "haproxy.sock"):
                (self.folder / name).unlink(missing_ok=True)
        say(f"formation: {len(leftovers)} containers removed, haproxy stopped")
