"""A private package index on this machine: a real pypiserver, for local work and tests.

    eval "$(.venv/bin/python scripts/release/local_index.py start)"   # exports the URL
    make publish                                                      # uploads to it
    .venv/bin/python scripts/release/local_index.py stop

``start`` runs ``pypi-server`` on 127.0.0.1 (a free port), serving a packages folder in
the system's temporary directory, outside the repository. Uploads need a user name and
password, like a real private index: an htpasswd file with a fresh random password is
written at every start (never committed). Downloads are open. Two things a private index
must do, and this one does:

- no fallback: a name it does not hold is *not* redirected to PyPI. PyPI has a
  ``regression-model`` too (someone else's); a redirect would install it silently.
- immutable versions: a second upload of a file it already holds is refused (HTTP
  400, "already exists"; pypiserver replaces a file only with ``--overwrite``).

It prints ``export`` lines for twine (``TWINE_REPOSITORY_URL``, ``TWINE_USERNAME``,
``TWINE_PASSWORD``) and for pip (``MODEL_INDEX_URL``, the simple index).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

with warnings.catch_warnings():
    # passlib imports the standard library's `crypt` (deprecated in 3.11), unused here
    warnings.simplefilter("ignore", DeprecationWarning)
    from passlib.apache import HtpasswdFile

DEFAULT_STATE_DIR = Path(tempfile.gettempdir()) / "house-prices-index"
USERNAME = "publisher"
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 10.0
POLL_S = 0.1


@dataclass(frozen=True)
class LocalIndex:
    """A running index: where it listens, who may upload, where it keeps files."""

    url: str
    username: str
    password: str
    packages: str
    pid: int

    @property
    def simple_url(self) -> str:
        """The PEP 503 "simple" index that pip reads (``--index-url``)."""
        return f"{self.url}/simple/"

    def environment(self) -> dict[str, str]:
        """The variables ``make publish`` (twine) and ``make wheelhouse`` (pip) read."""
        return {
            "TWINE_REPOSITORY_URL": f"{self.url}/",
            "TWINE_USERNAME": self.username,
            "TWINE_PASSWORD": self.password,
            "MODEL_INDEX_URL": self.simple_url,
        }


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def write_htpasswd(path: Path, username: str, password: str) -> None:
    """An Apache htpasswd file with one user (Apache's MD5 scheme, no bcrypt needed)."""
    htpasswd = HtpasswdFile(str(path), new=True, default_scheme="apr_md5_crypt")
    htpasswd.set_password(username, password)
    htpasswd.save()
    path.chmod(0o600)


def wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll the server's health route; fail, with its log, if it exits or hangs."""
    deadline = time.monotonic() + START_TIMEOUT_S
    for _ in range(int(START_TIMEOUT_S / POLL_S)):
        if process.poll() is not None:
            raise RuntimeError(
                f"pypi-server exited with {process.returncode}:\n{log.read_text()}"
            )
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/health", timeout=1) as answer:
                if answer.status == 200:
                    return
        if time.monotonic() > deadline:
            break
        time.sleep(POLL_S)
    process.kill()
    raise RuntimeError(f"pypi-server did not answer in {START_TIMEOUT_S} s")


def start(state_dir: Path) -> tuple[LocalIndex, subprocess.Popen[bytes]]:
    """Start pypi-server in the background; return the index and its process.

    ``state_dir`` receives ``packages/``, ``htpasswd``, ``server.log`` and
    ``index.json`` (what :func:`stop` needs).
    """
    packages = state_dir / "packages"
    packages.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(18)
    write_htpasswd(state_dir / "htpasswd", USERNAME, password)
    port = free_port()
    log = state_dir / "server.log"
    command = [
        *(sys.executable, "-m", "pypiserver", "run"),
        *("--host", "127.0.0.1", "--port", str(port)),
        *("--authenticate", "update", "--passwords", str(state_dir / "htpasswd")),
        "--disable-fallback",
        str(packages),
    ]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(url, process, log)
    index = LocalIndex(url, USERNAME, password, str(packages), process.pid)
    (state_dir / "index.json").write_text(json.dumps(asdict(index), indent=2))
    return index, process


def stop_pid(pid: int) -> None:
    """Send SIGTERM to ``pid`` and wait (bounded) until it is gone; then SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
        for _ in range(int(STOP_TIMEOUT_S / POLL_S)):
            time.sleep(POLL_S)
            os.kill(pid, 0)  # raises ProcessLookupError once it has exited
        os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def running_index(state_dir: Path) -> Iterator[LocalIndex]:
    """A local index for the duration of a ``with`` block, stopped even on failure."""
    index, process = start(state_dir)
    try:
        yield index
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT_S)


def main(argv: list[str] | None = None) -> int:
    """Command line: ``start`` (prints export lines) or ``stop``."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=DEFAULT_STATE_DIR,
        help=f"packages, password file and log (default {DEFAULT_STATE_DIR})",
    )
    args = parser.parse_args(argv)
    state_file = args.state_dir / "index.json"
    if args.action == "start":
        if state_file.is_file():
            print(f"already started? {state_file} exists: run stop", file=sys.stderr)
            return 1
        index, _ = start(args.state_dir)
        for name, value in index.environment().items():
            print(f"export {name}={shlex.quote(value)}")
        print(
            f"local index: {index.url} (pid {index.pid}), packages in "
            f"{index.packages}; stop it with: {Path(__file__).name} stop",
            file=sys.stderr,
        )
        return 0
    if not state_file.is_file():
        print(f"no index to stop: {state_file} not found", file=sys.stderr)
        return 1
    stop_pid(json.loads(state_file.read_text())["pid"])
    state_file.unlink()
    print("local index stopped (packages kept)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
