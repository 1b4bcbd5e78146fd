"""The drift report of a file of houses: per feature PSI and KS, as JSON and HTML.

*Beyond the course*: the course's sequel teaches monitoring with Prometheus and
Grafana; this report answers, for one batch of houses, the question its drift
alerts ask: are these houses like the ones the model learnt from?

``python -m regression_model.monitoring --input FILE --output DIR
[--trained-dir DIR]`` reads a CSV or Parquet file of houses (the raw columns, as
``test.csv``), compares it with the model's training reference
(:mod:`regression_model.monitoring.reference`) and writes:

- ``DIR/drift.json``: per feature its PSI, its verdict ("stable" below 0.1,
  "moderate" to 0.25, "large" above: flagged), and for a number the KS statistic
  and p-value (:mod:`regression_model.monitoring.drift`);
- ``DIR/drift.html``: the same as a table, with figures (the PSI of every feature,
  and the training and new shares of each flagged or moderate feature's bins),
  drawn by matplotlib and embedded as base64 PNG: one file, no link to fetch.

Exit codes, as for the package's other commands: 0 the report is written (drift
or not: the report is the answer), 2 nothing written (a bad argument, a file that
cannot be read, a model without a reference): one line on stderr says why.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import json
import math
import sys
from pathlib import Path
from typing import Any

import pandas as pd

from regression_model import __version__
from regression_model.monitoring.drift import (
    LARGE_PSI,
    MODERATE_PSI,
    bin_shares,
    feature_column,
    ks_by_feature,
    psi_by_feature,
    verdict,
)
from regression_model.monitoring.reference import load_reference
from regression_model.processing.data_manager import ModelIntegrityError
from regression_model.processing.files import write_output

READERS = {".csv": pd.read_csv, ".parquet": pd.read_parquet}


def drift_report(
    reference: dict[str, dict[str, Any]], frame: pd.DataFrame, source: str
) -> dict[str, Any]:
    """The drift of ``frame`` against ``reference``, as ``drift.json`` holds it.

    Returns
    -------
    dict
        ``input``, ``rows``, ``package_version``, ``thresholds``, ``flagged`` (the
        features whose PSI is above :data:`LARGE_PSI`, largest first) and
        ``features``: per feature ``kind``, ``psi``, ``verdict``, ``flagged`` and,
        for a number, ``ks_statistic`` and ``ks_p_value``.
    """
    psis = psi_by_feature(reference, frame)
    tests = ks_by_feature(reference, frame)
    features: dict[str, dict[str, Any]] = {}
    for feature, value in psis.items():
        entry: dict[str, Any] = {
            "kind": reference[feature]["kind"],
            "psi": value,
            "verdict": verdict(value),
            "flagged": value > LARGE_PSI,
        }
        if feature in tests:
            entry["ks_statistic"] = tests[feature]["statistic"]
            entry["ks_p_value"] = tests[feature]["p_value"]
        features[feature] = entry
    flagged = sorted(
        (feature for feature, entry in features.items() if entry["flagged"]),
        key=lambda feature: -psis[feature],
    )
    return {
        "input": source,
        "rows": len(frame),
        "package_version": __version__,
        "thresholds": {"moderate_psi": MODERATE_PSI, "large_psi": LARGE_PSI},
        "flagged": flagged,
        "features": features,
    }


def _png(figure: Any) -> str:
    """A matplotlib figure as a base64 PNG (and the figure closed)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode()


def psi_figure(report: dict[str, Any]) -> str:
    """A bar per feature, its PSI, with the two thresholds drawn across."""
    import matplotlib.pyplot as plt

    features = report["features"]
    names = list(features)
    values = [
        0.0 if math.isnan(features[n]["psi"]) else features[n]["psi"] for n in names
    ]
    colours = {"stable": "tab:green", "moderate": "tab:orange", "large": "tab:red"}
    figure, axes = plt.subplots(figsize=(10, 3.5))
    axes.bar(
        names,
        values,
        color=[colours.get(features[n]["verdict"], "grey") for n in names],
    )
    axes.axhline(MODERATE_PSI, color="tab:orange", linestyle="--", linewidth=1)
    axes.axhline(LARGE_PSI, color="tab:red", linestyle="--", linewidth=1)
    axes.set_ylabel("PSI")
    axes.set_title("Population stability index per feature")
    axes.tick_params(axis="x", labelrotation=90)
    return _png(figure)


def shares_figure(feature: str, spec: dict[str, Any], values: pd.Series) -> str:
    """The training and new shares of one feature's bins, side by side."""
    import matplotlib.pyplot as plt
    import numpy as np

    expected, actual = bin_shares(spec, values)
    if spec["kind"] == "numeric":
        edges = [f"{edge:g}" for edge in spec["edges"]]
        bins = [f"<= {edges[0]}", *[f"<= {e}" for e in edges[1:]], f"> {edges[-1]}"]
        bins.append("missing")
    else:
        bins = [*spec["shares"], "unseen", "missing"]
    positions = np.arange(len(bins))
    figure, axes = plt.subplots(figsize=(max(4.0, 0.45 * len(bins) + 2), 3))
    axes.bar(positions - 0.2, expected, width=0.4, label="training split")
    axes.bar(positions + 0.2, actual, width=0.4, label="this file")
    axes.set_xticks(positions, bins, rotation=90)
    axes.set_ylabel("share of rows")
    axes.set_title(feature)
    axes.legend()
    return _png(figure)


def report_html(
    report: dict[str, Any], reference: dict[str, dict[str, Any]], frame: pd.DataFrame
) -> str:
    """``drift.html``: the report as one self-contained page (figures inline)."""
    rows = []
    for feature, entry in report["features"].items():
        ks = (
            f"{entry['ks_statistic']:.3f}</td><td>{entry['ks_p_value']:.2g}"
            if "ks_statistic" in entry
            else "</td><td>"
        )
        rows.append(
            f"<tr class='{entry['verdict']}'><td>{html.escape(feature)}</td>"
            f"<td>{entry['kind']}</td><td>{entry['psi']:.4f}</td>"
            f"<td>{entry['verdict']}</td><td>{ks}</td></tr>"
        )
    shown = [
        feature
        for feature, entry in report["features"].items()
        if entry["verdict"] in {"moderate", "large"}
    ]
    figures = [
        f"<img alt='PSI per feature' src='data:image/png;base64,{psi_figure(report)}'>"
    ]
    for feature in shown:
        png = shares_figure(feature, reference[feature], feature_column(frame, feature))
        figures.append(
            f"<img alt='{html.escape(feature)}' src='data:image/png;base64,{png}'>"
        )
    flagged = ", ".join(report["flagged"]) or "none"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Drift report: {html.escape(report["input"])}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
td, th {{ border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }}
tr.moderate {{ background: #fff3cd; }} tr.large {{ background: #f8d7da; }}
img {{ display: block; margin: 1em 0; max-width: 100%; }}
</style></head><body>
<h1>Drift report</h1>
<p>{html.escape(report["input"])}: {report["rows"]} rows against the training split of
regression_model {html.escape(report["package_version"])}. Flagged (PSI above
{LARGE_PSI}): <strong>{html.escape(flagged)}</strong>. A PSI below {MODERATE_PSI} is
stable, {MODERATE_PSI} to {LARGE_PSI} a moderate shift, above {LARGE_PSI} a large one.
KS: the largest gap between the two cumulative distributions (numbers only).</p>
{"".join(figures)}
<table><tr><th>feature</th><th>kind</th><th>PSI</th><th>verdict</th>
<th>KS statistic</th><th>KS p-value</th></tr>
{"".join(rows)}
</table></body></html>
"""


def read_houses(path: Path) -> pd.DataFrame:
    """Read a CSV or Parquet file of houses (``OSError`` or ``ValueError`` if not)."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ValueError(f"{path}: not a .csv or .parquet file")
    try:
        frame: pd.DataFrame = reader(path)
    except ImportError as error:  # read_parquet without pyarrow
        raise ValueError(f"{path}: cannot read Parquet ({error})") from error
    return frame


def main(argv: list[str] | None = None) -> int:
    """Command line: write ``drift.json`` and ``drift.html``; return 0, or 2."""
    parser = argparse.ArgumentParser(
        prog="python -m regression_model.monitoring",
        description="Compare a file of houses with the model's training reference.",
    )
    parser.add_argument(
        "--input", type=Path, required=True, help="a .csv or .parquet file"
    )
    parser.add_argument(
        "--trained-dir",
        type=Path,
        default=None,
        help="the trained folder (default: the package's)",
    )
    parser.add_argument(
        "--output", type=Path, required=True, help="folder for the report"
    )
    args = parser.parse_args(argv)
    try:
        reference = load_reference(args.trained_dir)
        if reference is None:
            return _fail(
                "the model has no training reference (trained before references "
                "existed): train again with `python -m regression_model.train_pipeline`"
            )
        frame = read_houses(args.input)
    except (OSError, ValueError, ModelIntegrityError) as error:
        return _fail(str(error))
    report = drift_report(reference, frame, args.input.name)
    try:
        write_output(args.output / "drift.json", json.dumps(report, indent=2) + "\n")
        write_output(args.output / "drift.html", report_html(report, reference, frame))
    except OSError as error:
        return _fail(f"cannot write the report in {args.output} ({error})")
    flagged = ", ".join(
        f"{feature} (PSI {report['features'][feature]['psi']:.2f})"
        for feature in report["flagged"]
    )
    print(f"{report['rows']} rows, flagged: {flagged or 'none'}")
    print(f"wrote {args.output / 'drift.json'} and {args.output / 'drift.html'}")
    return 0


def _fail(line: str) -> int:
    print(f"error: {' '.join(line.split())}", file=sys.stderr)
    return 2
