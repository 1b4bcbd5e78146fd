"""Run each stage the way its user does, and read back its predictions.

Every stage is trained once into a folder of its own and then prices CSV files:

- ``notebooks``: the numbered notebooks executed with nbclient (``run_notebooks.py``)
  on a copy of the folder, so the committed notebooks stay as they are. The notebooks
  price only ``data/test.csv`` and the training holdout;
- ``procedural`` and ``oop``: ``train.py`` and ``score.py`` as subprocesses;
- ``package``: ``python -m regression_model.train_pipeline`` and
  ``python -m regression_model.predict``;
- ``api``: ``POST /api/v1/predict`` through FastAPI's TestClient; it trains nothing
  and serves the model the package stage trained (see :func:`train_all`).

Used by the parity tests (``tests/parity/``) and by ``make parity``
(``tests/parity/report.py``).
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    """Run ``command`` from a neutral folder (stages must not depend on the cwd)."""
    result = subprocess.run(
        command,
        cwd=Path(os.sep),
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )
    if result.returncode != 0:
        raise StageFailed(
            f"{' '.join(command)} exited with {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


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

    def train(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        python = sys.executable
        if self.name == "notebooks":
            copy = self.workdir / "notebooks"
            shutil.copytree(
                ROOT / "notebooks",
                copy,
                ignore=shutil.ignore_patterns("outputs", ".ipynb_checkpoints"),
            )
            (self.workdir / "data").symlink_to(DATA, target_is_directory=True)
            run([python, str(copy / "run_notebooks.py")], self.env)
        elif self.name in ("procedural", "oop"):
            script = ROOT / self.name / "train.py"
            run([python, str(script), "--outputs-dir", str(self.workdir)], self.env)
        elif self.name == "package":
            run([python, "-m", "regression_model.train_pipeline"], self.package_env)
        elif self.name == "api":
            pass  # it serves the package's model: give it the package stage's workdir
        else:
            raise ValueError(f"unknown stage {self.name!r}")

    @property
    def package_env(self) -> dict[str, str]:
        return {**self.env, "REGRESSION_MODEL_TRAINED_DIR": str(self.workdir)}

    def score(self, input_csv: Path, name: str) -> pd.Series:
        """Price ``input_csv``; return the prices by Id, in input order."""
        output = self.workdir / "scored" / f"{name}.csv"
        output.parent.mkdir(exist_ok=True)
        python = sys.executable
        if self.name == "notebooks":
            produced = {"test": "predictions.csv", "holdout": "holdout_predictions.csv"}
            if name not in produced:
                raise ValueError(f"the notebooks price only {sorted(produced)}")
            return read_predictions(
                self.workdir / "notebooks" / "outputs" / produced[name]
            )
        if self.name in ("procedural", "oop"):
            script = ROOT / self.name / "score.py"
            command = [python, str(script), "--outputs-dir", str(self.workdir)]
            run([*command, "--input", str(input_csv), "--output", str(output)])
        elif self.name == "package":
            command = [python, "-m", "regression_model.predict"]
            run(
                [*command, "--input", str(input_csv), "--output", str(output)],
                self.package_env,
            )
        elif self.name == "api":
            return self.score_over_http(input_csv)
        return read_predictions(output)

    def score_over_http(self, input_csv: Path) -> pd.Series:
        """POST the rows to the API (TestClient) and return its predictions."""
        with warnings.catch_warnings():  # Starlette's notice about httpx2
            warnings.filterwarnings("ignore", message="Using `httpx` with")
            from fastapi.testclient import TestClient
        from app.main import create_app

        frame = pd.read_csv(input_csv)
        rows: list[dict[str, Any]] = [
            {k: (None if _is_missing(v) else v) for k, v in row.items()}
            for row in frame.to_dict(orient="records")
        ]
        previous = os.environ.get("REGRESSION_MODEL_TRAINED_DIR")
        os.environ["REGRESSION_MODEL_TRAINED_DIR"] = str(self.workdir)
        try:
            with TestClient(create_app()) as client:
                prices: list[float] = []
                for start in range(0, len(rows), 500):
                    response = client.post(
                        "/api/v1/predict", json={"inputs": rows[start : start + 500]}
                    )
                    if response.status_code != 200:
                        raise StageFailed(
                            f"api: {response.status_code} {response.text}"
                        )
                    prices += response.json()["predictions"]
        finally:
            if previous is None:
                del os.environ["REGRESSION_MODEL_TRAINED_DIR"]
            else:
                os.environ["REGRESSION_MODEL_TRAINED_DIR"] = previous
        return pd.Series(prices, index=frame["Id"], name="SalePrice", dtype=float)


def train_all(folder: Path, notebooks: Stage | None = None) -> dict[str, Stage]:
    """Train every stage once, each in ``folder/<stage>``; the API shares the package's.

    ``notebooks`` reuses a research stage already executed (the tests share one).
    """
    trained = {"notebooks": notebooks} if notebooks else {}
    for name in STAGES:
        if name not in trained:
            workdir = folder / ("package" if name == "api" else name)
            trained[name] = Stage(name, workdir)
            trained[name].train()
    return trained


def _is_missing(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


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
