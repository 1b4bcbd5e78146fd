"""A real PostgreSQL server for the tests: Debian's binaries, a throw-away cluster.

``initdb`` makes a cluster in a temporary folder; ``postgres`` serves it on
127.0.0.1 (a free port; its Unix socket stays in that folder). PostgreSQL refuses to
run as root, so when the tests run as root the folder belongs to ``nobody`` and both
programs run as that user (``setpriv``). The server is stopped by its pid, also when
a test fails; every wait is bounded.

Debian does not put ``initdb`` or ``pg_ctl`` on PATH: they live in
``/usr/lib/postgresql/<major>/bin`` (``apt-get install postgresql``). Without them
:func:`postgres_bin` skips the test with one line, except in CI (``CI`` set), where
their absence is a failure.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from tests.parity.stages import free_port

START_TIMEOUT_S = 30
STOP_TIMEOUT_S = 15
# Who runs the server when the tests run as root.
SERVER_USER = "nobody"
PROGRAMS = ("initdb", "pg_ctl", "postgres")


def postgres_bin() -> Path:
    """The folder of Debian's PostgreSQL programs (the newest major version).

    Skips without them, or fails in CI, where ``.ci/run`` installs them.
    """
    found = [
        Path(initdb).parent
        for initdb in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if all((Path(initdb).parent / tool).is_file() for tool in PROGRAMS)
    ]
    if not found:
        reason = "no /usr/lib/postgresql/*/bin/initdb (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to run this: {reason}")
        pytest.skip(reason)
    return found[-1]


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder, served on 127.0.0.1.

    Parameters
    ----------
    bin_dir : Path
        Where ``initdb``, ``pg_ctl`` and ``postgres`` are.

    Attributes
    ----------
    folder : Path
        The temporary folder: the cluster (``data/``), the socket and the log.
    port : int
        The TCP port the server listens on (127.0.0.1 only).
    process : subprocess.Popen or None
        The running ``postgres`` (the postmaster), None while it is stopped.
    """

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        # Not under pytest's temporary folders: they are private (0700) to the user
        # running the tests, so the server's user could not enter them.
        self.folder = Path(tempfile.mkdtemp(prefix="postgres-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._as_user: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam(SERVER_USER)
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self._as_user = [
                "setpriv",
                f"--reuid={user.pw_uid}",
                f"--regid={user.pw_gid}",
                "--clear-groups",
            ]
        try:
            self._run(
                "initdb",
                *("-D", str(self.data), "-U", "postgres", "-A", "trust"),
                *("-E", "UTF8", "--locale=C"),
            )
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def _command(self, program: str, *args: str) -> list[str]:
        return [*self._as_user, str(self.bin_dir / program), *args]

    def _env(self) -> dict[str, str]:
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C"}

    def _run(self, program: str, *args: str) -> str:
        result = subprocess.run(
            self._command(program, *args),
            cwd=self.folder,
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_S,
        )
        assert result.returncode == 0, f"{program} failed: {result.stderr}"
        return result.stdout

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` on this server (psycopg 3 driver)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        """The same, as psycopg's own connection string."""
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def accepts_connections(self) -> bool:
        try:
            with psycopg.connect(self.conninfo(), connect_timeout=2) as connection:
                connection.execute("SELECT 1")
            return True
        except psycopg.OperationalError:
            return False

    def start(self) -> None:
        """Start the server and wait (bounded) until it accepts connections."""
        assert self.process is None, "the server is already running"
        with (self.folder / "server.log").open("ab") as log:
            self.process = subprocess.Popen(
                self._command(
                    "postgres",
                    "-D", str(self.data),
                    "-h", "127.0.0.1",
                    "-p", str(self.port),
                    "-k", str(self.folder),
                    "-c", "fsync=off",  # a throw-away cluster: speed over safety
                ),
                cwd=self.folder,
                env=self._env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.accepts_connections():
            if self.process.poll() is not None:
                log_text = (self.folder / "server.log").read_text(errors="replace")
                self.process = None
                raise AssertionError(f"postgres exited:\n{log_text[-2000:]}")
            assert time.monotonic() < deadline, (
                f"postgres not up in {START_TIMEOUT_S} s"
            )
            time.sleep(0.1)

    def stop(self) -> None:
        """Stop the server the way an operator does: ``pg_ctl stop -m fast``.

        Open connections are cut; the server is gone when this returns (its pid
        reaped). A server that does not stop in time is killed by its pid.
        """
        if self.process is None:
            return
        if self.process.poll() is None:
            subprocess.run(
                self._command("pg_ctl", "stop", "-D", str(self.data), "-m", "fast"),
                cwd=self.folder,
                env=self._env(),
                capture_output=True,
                timeout=STOP_TIMEOUT_S + 5,
            )
        self._reap()

    def _reap(self) -> None:
        assert self.process is not None
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT_S)
        self.process = None

    def close(self) -> None:
        """Stop the server (SIGINT, PostgreSQL's fast shutdown, to its pid) and
        remove the folder."""
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGINT)
            self._reap()
        shutil.rmtree(self.folder, ignore_errors=True)

    def create_database(self, name: str) -> str:
        """Create an empty database; its SQLAlchemy URL."""
        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
