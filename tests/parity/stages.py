"""Run each stage the way its user does, and read back its predictions.

Every stage is trained once into a folder of its own and then prices CSV files:

- ``notebooks``: the numbered notebooks executed with nbclient (``run_notebooks.py``)
  on a copy of the folder, so the committed notebooks stay as they are. The notebooks
  price only ``data/test.csv`` and the training holdout;
- ``procedural`` and ``oop``: ``python -m <stage>.train`` and ``python -m
  <stage>.score`` as subprocesses, the repository root on ``PYTHONPATH``;
- ``package``: ``python -m regression_model.train_pipeline`` and
  ``python -m regression_model.predict``, with explicit folders;
- ``api``: the package's model, served over HTTP: a real uvicorn server on
  127.0.0.1 serving the package stage's folder, and the API's own scoring script
  (``api/scripts/score.py --url``) sending it the rows. It trains nothing.

Used by the root ``conftest.py`` (each stage trained once per test session), the
parity tests (``tests/parity/``) and ``make parity`` (``tests/parity/report.py``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
TEST_CSV = DATA / "test.csv"
STAGES = ("notebooks", "procedural", "oop", "package", "api")


class StageFailed(Exception):
    """A stage's command failed; the message carries the command and its output."""


def run(command: list[str], env: dict[str, str] | None = None) -> str:
    """Run ``command`` from a neutral folder (stages must not depend on the cwd).

    The repository root is on ``PYTHONPATH``, as when a user runs
    ``python -m procedural.train`` from the root (the Makefile does).
    """
    result = subprocess.run(
        command,
        cwd=Path(os.sep),
        capture_output=True,
        text=True,
        env=stage_env(env),
    )
    if result.returncode != 0:
        raise StageFailed(
            f"{' '.join(command)} exited with {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def stage_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This environment, the repository root on ``PYTHONPATH``, plus ``extra``."""
    return {**os.environ, "PYTHONPATH": str(ROOT), **(extra or {})}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def read_predictions(path: Path) -> pd.Series:
    """Return a stage's ``Id,SalePrice`` file as prices indexed by Id, in file order."""
    frame = pd.read_csv(path)
    if list(frame.columns) != ["Id", "SalePrice"]:
        raise StageFailed(f"{path}: columns {list(frame.columns)}, not Id,SalePrice")
    return frame.set_index("Id")["SalePrice"]


def write_holdout(path: Path) -> Path:
    """Write the training holdout (the research split's 10 %), ``SalePrice`` kept."""
    train = pd.read_csv(DATA / "train.csv")
    _, holdout = train_test_split(train, test_size=0.1, random_state=0)
    holdout.to_csv(path, index=False)
    return path


@dataclass
class Stage:
    """One stage: train it once into ``workdir``, then price CSV files with it."""

    name: str
    workdir: Path
    env: dict[str, str] = field(default_factory=dict)
    train_output: str = ""
    server: subprocess.Popen[bytes] | None = None
    url: str = ""

    def train(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        python = sys.executable
        if self.name == "notebooks":
            copy = self.workdir / "notebooks"
            shutil.copytree(
                ROOT / "notebooks",
                copy,
                ignore=shutil.ignore_patterns("outputs", ".ipynb_checkpoints", "tests"),
            )
            (self.workdir / "data").symlink_to(DATA, target_is_directory=True)
            command = [python, str(copy / "run_notebooks.py")]
        elif self.name in ("procedural", "oop"):
            command = [python, "-m", f"{self.name}.train"]
            command += ["--outputs-dir", str(self.workdir)]
        elif self.name == "package":
            command = [python, "-m", "regression_model.train_pipeline"]
            command += ["--data-dir", str(DATA), "--trained-dir", str(self.workdir)]
        elif self.name == "api":
            return  # it serves the package's model: give it the package's workdir
        else:
            raise ValueError(f"unknown stage {self.name!r}")
        self.train_output = run(command, self.env)

    def score(self, input_csv: Path, name: str) -> pd.Series:
        """Price ``input_csv``; return the prices by Id, in input order."""
        output = self.workdir / "scored" / f"{self.name}-{name}.csv"
        output.parent.mkdir(exist_ok=True)
        python = sys.executable
        files = ["--input", str(input_csv), "--output", str(output)]
        if self.name == "notebooks":
            produced = {"test": "predictions.csv", "holdout": "holdout_predictions.csv"}
            if name not in produced:
                raise ValueError(f"the notebooks price only {sorted(produced)}")
            return read_predictions(
                self.workdir / "notebooks" / "outputs" / produced[name]
            )
        if self.name in ("procedural", "oop"):
            command = [python, "-m", f"{self.name}.score"]
            run([*command, "--outputs-dir", str(self.workdir), *files], self.env)
        elif self.name == "package":
            command = [python, "-m", "regression_model.predict", *files]
            run([*command, "--trained-dir", str(self.workdir)], self.env)
        elif self.name == "api":
            script = str(ROOT / "api" / "scripts" / "score.py")
            run([python, script, "--url", self.start_server(), *files], self.env)
        return read_predictions(output)

    def start_server(self, timeout: float = 60.0) -> str:
        """Start uvicorn on 127.0.0.1 serving ``workdir``'s model (once); its URL."""
        if self.server is not None:
            return self.url
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "uvicorn", "app.main:app"]
        command += ["--app-dir", str(ROOT / "api"), "--host", "127.0.0.1"]
        command += ["--port", str(port), "--log-level", "warning"]
        env = stage_env({**self.env, "HOUSE_PRICES_API_TRAINED_DIR": str(self.workdir)})
        self.server = subprocess.Popen(command, cwd=Path(os.sep), env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                raise StageFailed(f"api: uvicorn exited with {self.server.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=2):
                    return self.url
            except OSError:
                time.sleep(0.2)
        self.close()
        raise StageFailed(f"api: no answer from {self.url} within {timeout:.0f} s")

    def close(self) -> None:
        """Stop the server this stage started, if any (by its process)."""
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
            self.server = None


def train_all(folder: Path) -> dict[str, Stage]:
    """Train every stage once, each in ``folder/<stage>``; the API shares the package's.

    Call :meth:`Stage.close` on each when done (the API's server).
    """
    trained: dict[str, Stage] = {}
    for name in STAGES:
        workdir = folder / ("package" if name == "api" else name)
        trained[name] = Stage(name, workdir)
        trained[name].train()
    return trained


@dataclass(frozen=True)
class Comparison:
    """How far two stages' predictions are apart on the same rows."""

    left: str
    right: str
    rows: int
    max_abs: float
    max_rel: float


def compare(left: str, a: pd.Series, right: str, b: pd.Series) -> Comparison:
    """Compare two stages' prices row by row (matched by Id, in the same order)."""
    if list(a.index) != list(b.index):
        raise AssertionError(f"{left} and {right} priced different Ids or orders")
    difference = np.abs(a.to_numpy() - b.to_numpy())
    return Comparison(
        left,
        right,
        len(a),
        float(difference.max()),
        float((difference / np.abs(b.to_numpy())).max()),
    )
