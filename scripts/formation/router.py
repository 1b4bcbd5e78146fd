"""The router: HAProxy before the replicas, on its Runtime API (beyond the course).

HAProxy reads ``deploy/haproxy/haproxy.cfg.template`` (rendered into the state folder):
it listens on 127.0.0.1:<port>, checks each replica's readiness every second, sends
each request to the ready replica with the fewest requests in flight, and retries a
failed one on another replica. Its backend holds empty *slots* (``server-template``);
the formation fills and empties them while requests flow, with one-line commands on
the Runtime API's unix socket, never a reload:

| command (on the socket)                       | effect                           |
|-----------------------------------------------|----------------------------------|
| ``set server replicas/replica1 addr 127.0.0.1 port 40001`` | point slot 1 at a port |
| ``set server replicas/replica1 state ready``  | take requests once its check passes |
| ``set server replicas/replica1 state drain``  | no new requests; the others finish |
| ``set server replicas/replica1 state maint``  | out of the backend               |
| ``show stat``                                 | CSV: status, sessions in flight  |

HAProxy runs as a child of the formation (``haproxy -db``: in the foreground), and is
told to die with it (``PR_SET_PDEATHSIG``) should the formation itself be killed.
"""

from __future__ import annotations

import csv
import ctypes
import shutil
import signal
import socket
import string
import subprocess
import time
from pathlib import Path

from scripts.release.common import ROOT

TEMPLATE = ROOT / "deploy" / "haproxy" / "haproxy.cfg.template"
BACKEND = "replicas"
PR_SET_PDEATHSIG = 1


def slot_names(count: int) -> list[str]:
    """The slots of the template: ``replica1`` .. ``replica<count>``."""
    return [f"replica{k}" for k in range(1, count + 1)]


def render(folder: Path, port: int, slots: int, ready_path: str) -> Path:
    """Write the configuration into ``folder``; return its path."""
    text = string.Template(TEMPLATE.read_text()).substitute(
        socket=folder / "haproxy.sock", port=port, slots=slots, ready_path=ready_path
    )
    config = folder / "haproxy.cfg"
    config.write_text(text)
    return config


def die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the parent dies (Linux only)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Router:
    """HAProxy, started from a rendered configuration and driven on its socket.

    Parameters
    ----------
    folder : Path
        The formation's state folder (configuration and socket live there).
    """

    def __init__(self, folder: Path) -> None:
        self.socket_path = folder / "haproxy.sock"
        self.config = folder / "haproxy.cfg"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Start HAProxy; return when its Runtime API answers."""
        binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
        self.socket_path.unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [binary, "-db", "-q", "-f", str(self.config)], preexec_fn=die_with_parent
        )
        deadline = time.monotonic() + timeout
        while not self.socket_path.exists() or not self.answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"haproxy exited ({self.process.returncode})")
            if time.monotonic() > deadline:
                raise RuntimeError(f"haproxy's socket did not answer in {timeout} s")
            time.sleep(0.1)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """Stop HAProxy (SIGTERM, then SIGKILL after 5 s)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def command(self, line: str) -> str:
        """Send one Runtime API command; return HAProxy's answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
            connection.settimeout(5)
            connection.connect(str(self.socket_path))
            connection.sendall(line.encode() + b"\n")
            chunks = []
            while chunk := connection.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def answers(self) -> bool:
        try:
            return "pxname" in self.command("show stat")
        except OSError:
            return False

    def stats(self) -> dict[str, dict[str, str]]:
        """``show stat`` of the backend's slots: slot -> {status, scur, ...}."""
        lines = self.command("show stat").lstrip("# ").splitlines()
        rows = csv.DictReader(line for line in lines if line)
        return {
            row["svname"]: row
            for row in rows
            if row["pxname"] == BACKEND and row["svname"] not in ("BACKEND", "FRONTEND")
        }

    def attach(self, slot: str, port: int) -> None:
        """Point ``slot`` at 127.0.0.1:``port`` and let it take requests once UP."""
        self.command(f"set server {BACKEND}/{slot} addr 127.0.0.1 port {port}")
        self.command(f"set server {BACKEND}/{slot} state ready")

    def wait_up(self, slot: str, timeout: float = 10.0) -> None:
        """Wait until HAProxy's own check has found ``slot`` ready (status UP)."""
        deadline = time.monotonic() + timeout
        while self.stats()[slot]["status"] != "UP":
            if time.monotonic() > deadline:
                raise RuntimeError(f"{slot} not UP in haproxy after {timeout} s")
            time.sleep(0.1)

    def drain(self, slot: str, timeout: float = 30.0) -> None:
        """No new requests to ``slot``; wait (bounded) until its requests end."""
        self.command(f"set server {BACKEND}/{slot} state drain")
        deadline = time.monotonic() + timeout
        while int(self.stats()[slot]["scur"] or 0) > 0:
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)

    def detach(self, slot: str) -> None:
        """Take ``slot`` out of the backend (maintenance: no traffic, no checks)."""
        self.command(f"set server {BACKEND}/{slot} state maint")

    def up_slots(self) -> list[str]:
        """The slots HAProxy sees as ready (status UP)."""
        return [slot for slot, row in self.stats().items() if row["status"] == "UP"]
