"""Differential test: how far a candidate model's prices move from the live model's.

Beyond the course (its sequel teaches back-to-back tests of two model versions).
The parity suite proves that every *stage* prices alike; this compares two *versions*
of the model on the same houses before the candidate replaces the live one::

    python package/scripts/differential.py --live DIR --candidate DIR --output DIR
        [--input data/test.csv] [--log SQLITE_FILE_OR_URL]
        [--tolerance 0.01] [--max-share 0.05]

(``make differential LIVE=DIR CANDIDATE=DIR``). Both trained folders price the input
(``make_prediction`` with each ``trained_dir``) and, with ``--log``, the rows of a
prediction log (the API's ``predictions`` table: SQLite file or SQLAlchemy URL). The
relative difference of a house is ``|candidate - live| / live``; a house priced by
one model only counts as beyond the tolerance. Written to ``--output``:
``differential.json``, ``differential.md`` (largest and median difference, the share
beyond the tolerance, the 10 houses that moved most) and ``differential.png``.

Exit codes: 0 the share beyond the tolerance is at most ``--max-share``; 1 it is
more; 2 nothing compared (bad arguments, a missing file or folder: one line).
"""

from __future__ import annotations

import argparse
import json
import math
import sqlite3
import sys
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pandas as pd

from regression_model.predict import make_prediction
from regression_model.processing.data_manager import ModelIntegrityError, load_metadata

DEFAULT_INPUT = Path("data/test.csv")
MOVED_MOST = 10


class BadArguments(Exception):
    """Nothing can be compared: the one line says why."""


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        print(f"differential.py: {message}", file=sys.stderr)
        raise SystemExit(2)


def logged_rows(log: str) -> pd.DataFrame:
    """The inputs of every row of a prediction log, keyed ``log:<request>:<row>``."""
    query = "SELECT request_id, row, inputs FROM predictions ORDER BY request_id, row"
    if "://" in log:
        import sqlalchemy  # the API's dependency: only a URL needs it

        engine = sqlalchemy.create_engine(log)
        with engine.connect() as connection:
            found = [tuple(r) for r in connection.execute(sqlalchemy.text(query))]
        engine.dispose()
    else:
        if not Path(log).is_file():
            raise BadArguments(f"--log {log}: not found")
        with sqlite3.connect(f"file:{log}?mode=ro", uri=True) as connection:
            found = connection.execute(query).fetchall()
    inputs = [json.loads(i) if isinstance(i, str) else i for _, _, i in found]
    frame = pd.DataFrame(inputs)
    frame.index = [f"log:{request}:{row}" for request, row, _ in found]
    return frame


def houses(input_file: Path, log: str | None) -> pd.DataFrame:
    """The houses to price: the input file's (keyed by ``Id``) and the log's rows."""
    if not input_file.is_file():
        raise BadArguments(f"--input {input_file}: not found")
    frame = pd.read_csv(input_file)
    frame.index = [f"Id {i}" for i in frame["Id"]] if "Id" in frame else frame.index
    if log is not None:
        frame = pd.concat([frame, logged_rows(log)])
    return frame


def compare(live: list[Any], candidate: list[Any], keys: list[str]) -> pd.DataFrame:
    """One row per house: both prices and the relative difference (inf: one only)."""
    table = pd.DataFrame(
        {"live": live, "candidate": candidate}, index=keys, dtype="float64"
    )
    both = table["live"].notna() & table["candidate"].notna()
    difference = (table["candidate"] - table["live"]).abs() / table["live"]
    table["relative_difference"] = difference.where(both, math.inf)
    neither = table["live"].isna() & table["candidate"].isna()
    return table[~neither]


def summary(table: pd.DataFrame, tolerance: float, max_share: float) -> dict[str, Any]:
    """The report's figures: largest, median, share beyond the tolerance, verdict."""
    difference = table["relative_difference"]
    finite = difference[np.isfinite(difference)]
    share = float((difference > tolerance).mean()) if len(table) else 0.0
    moved = table.sort_values("relative_difference", ascending=False, kind="stable")
    return {
        "houses": len(table),
        "priced_by_one_only": int((~np.isfinite(difference)).sum()),
        "largest_relative_difference": float(finite.max()) if len(finite) else 0.0,
        "median_relative_difference": float(finite.median()) if len(finite) else 0.0,
        "tolerance": tolerance,
        "share_beyond_tolerance": share,
        "max_share": max_share,
        "passed": share <= max_share,
        "moved_most": [
            {"house": key, **{k: none_if_nan(v) for k, v in row.items()}}
            for key, row in moved.head(MOVED_MOST).to_dict(orient="index").items()
        ],
    }


def none_if_nan(value: float) -> float | None:
    """JSON has no NaN: a missing price is null."""
    return None if math.isnan(value) else float(value)


def markdown(report: dict[str, Any]) -> str:
    """The report as a short markdown page."""
    verdict = "passed" if report["passed"] else "FAILED"
    lines = [
        f"# Differential test: {verdict}",
        "",
        f"- live: `{report['live']}` ({report['live_plan_sha256'][:12]})",
        f"- candidate: `{report['candidate']}` "
        f"({report['candidate_plan_sha256'][:12]})",
        f"- houses compared: {report['houses']} "
        f"(priced by one model only: {report['priced_by_one_only']})",
        f"- largest relative difference: {report['largest_relative_difference']:.6f}",
        f"- median relative difference: {report['median_relative_difference']:.6f}",
        f"- beyond the tolerance {report['tolerance']}: "
        f"{report['share_beyond_tolerance']:.2%} (at most {report['max_share']:.2%})",
        "",
        "| house | live | candidate | relative difference |",
        "|---|---:|---:|---:|",
    ]
    for house in report["moved_most"]:
        prices = [house["live"], house["candidate"]]
        live, candidate = ("-" if p is None else f"{p:,.0f}" for p in prices)
        lines.append(
            f"| {house['house']} | {live} | {candidate} | "
            f"{house['relative_difference']:.6f} |"
        )
    return "\n".join(lines) + "\n"


def figure(table: pd.DataFrame, tolerance: float, path: Path) -> None:
    """Candidate against live price, and the relative differences' histogram."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    both = table[np.isfinite(table["relative_difference"])]
    fig, (prices, spread) = plt.subplots(1, 2, figsize=(10, 4))
    prices.scatter(both["live"], both["candidate"], s=4)
    low, high = both["live"].min(), both["live"].max()
    prices.plot([low, high], [low, high], color="grey", linewidth=1)
    prices.set(xlabel="live price ($)", ylabel="candidate price ($)")
    spread.hist(both["relative_difference"], bins=50)
    spread.axvline(tolerance, color="red", linewidth=1, label="tolerance")
    spread.set(xlabel="relative difference", ylabel="houses")
    spread.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def differential(
    live: Path,
    candidate: Path,
    input_file: Path,
    log: str | None,
    tolerance: float,
    max_share: float,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Price the houses with both trained folders; the report and the table."""
    for name, folder in (("--live", live), ("--candidate", candidate)):
        if not folder.is_dir():
            raise BadArguments(f"{name} {folder}: not a trained folder")
    frame = houses(input_file, log)
    prices = {
        name: make_prediction(frame, trained_dir=folder)["predictions"]
        for name, folder in (("live", live), ("candidate", candidate))
    }
    table = compare(prices["live"], prices["candidate"], list(map(str, frame.index)))
    report = {
        "live": str(live),
        "candidate": str(candidate),
        "live_plan_sha256": load_metadata(live)["plan_sha256"],
        "candidate_plan_sha256": load_metadata(candidate)["plan_sha256"],
        "input": str(input_file),
        "log": log,
        **summary(table, tolerance, max_share),
    }
    return report, table


def main(argv: list[str] | None = None) -> int:
    """Command line: compare, write the report, exit 0 (passed), 1 or 2."""
    parser = OneLineParser(description=__doc__.splitlines()[0])
    parser.add_argument("--live", type=Path, required=True, help="live trained folder")
    parser.add_argument("--candidate", type=Path, required=True)
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT)
    parser.add_argument("--log", default=None, help="SQLite file or SQLAlchemy URL")
    parser.add_argument("--tolerance", type=float, default=0.01)
    parser.add_argument("--max-share", type=float, default=0.05)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    if args.tolerance < 0 or not 0 <= args.max_share <= 1:
        parser.error("--tolerance must be >= 0 and --max-share within 0..1")
    try:
        report, table = differential(
            args.live,
            args.candidate,
            args.input,
            args.log,
            args.tolerance,
            args.max_share,
        )
    except (BadArguments, OSError, ValueError, ModelIntegrityError) as error:
        print(f"differential.py: {error}", file=sys.stderr)
        return 2
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "differential.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.output / "differential.md").write_text(markdown(report))
    figure(table, args.tolerance, args.output / "differential.png")
    print(markdown(report), end="")
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
