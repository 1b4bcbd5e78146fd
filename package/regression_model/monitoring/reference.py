"""The training reference: what the training split's inputs looked like, per feature.

*Beyond the course*: the course's sequel teaches monitoring with Prometheus and
Grafana; this is the part of it that belongs to the model.

A model is only as good as the houses it is asked about are like the ones it learnt
from. To tell, every replica needs a picture of the training inputs without the
training data: :func:`build_reference` draws one at training, per feature of the
model, from the training split's raw columns:

- a number: its deciles as bin edges (``edges``, duplicates merged, so a mostly-zero
  column has few bins), the share of rows in each bin (``shares``, one more than the
  edges: ``(-inf, e1]``, ``(e1, e2]``, ..., ``(ek, inf)``) and its percentiles
  (``percentiles``, 101 values, for the KS test of
  :mod:`regression_model.monitoring.drift`);
- a category: the share of each label (``shares``, labels written as
  :func:`regression_model.processing.schema.category_label` writes them);
- both: the share of missing cells (``missing``); ``shares`` and ``missing`` add up
  to 1.

The reference is saved beside the model (:func:`save_reference`) and the metadata
records its SHA-256, as it does the plan's: :func:`load_reference` refuses a file
changed after training. Drift never changes a price: nothing here is read to score.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from regression_model.processing.data_manager import (
    ModelIntegrityError,
    load_metadata,
    pipeline_path,
    read_vouched,
)
from regression_model.processing.files import atomic_write_bytes
from regression_model.processing.schema import category_label

BIN_QUANTILES = [q / 10 for q in range(1, 10)]
"""The deciles: the inner edges of a number's (at most) 10 bins."""

PERCENTILES = [q / 100 for q in range(101)]
"""The levels of a number's stored percentiles (0 % to 100 %)."""


def build_reference(
    frame: pd.DataFrame,
    features: list[str],
    categorical: Collection[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """The reference of ``features``: per feature, its bins and shares (JSON-able).

    Parameters
    ----------
    frame : pandas.DataFrame
        The training split's raw inputs (as read from ``train.csv``).
    features : list of str
        The model's features, in the order of ``config.yml``.
    categorical : collection of str, optional
        The features that are categories even if stored as numbers
        (``MSSubClass``); by default, every column whose dtype is not numeric.

    Returns
    -------
    dict
        ``{feature: {"kind": "numeric", "edges", "shares", "percentiles",
        "missing", "rows"}}`` or ``{feature: {"kind": "categorical", "shares":
        {label: share}, "missing", "rows"}}``.
    """
    reference: dict[str, dict[str, Any]] = {}
    for feature in features:
        values = frame[feature]
        is_category = (
            feature in categorical
            if categorical is not None
            else not pd.api.types.is_numeric_dtype(values)
        )
        if is_category:
            reference[feature] = _categorical_reference(values)
        else:
            reference[feature] = _numeric_reference(values)
    return reference


def _numeric_reference(values: pd.Series) -> dict[str, Any]:
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
    present = numbers[~np.isnan(numbers)]
    edges = np.unique(np.quantile(present, BIN_QUANTILES))
    counts = np.bincount(
        np.searchsorted(edges, present, side="left"), minlength=len(edges) + 1
    )
    return {
        "kind": "numeric",
        "edges": [float(edge) for edge in edges],
        "shares": [float(count / len(numbers)) for count in counts],
        "percentiles": [
            float(value)
            for value in np.quantile(present, PERCENTILES, method="inverted_cdf")
        ],
        "missing": float(1 - len(present) / len(numbers)),
        "rows": len(numbers),
    }


def _categorical_reference(values: pd.Series) -> dict[str, Any]:
    labels = category_labels(values)
    present = labels.dropna()
    counts = present.value_counts(sort=False).sort_index()
    return {
        "kind": "categorical",
        "shares": {str(label): float(n / len(labels)) for label, n in counts.items()},
        "missing": float(1 - len(present) / len(labels)),
        "rows": len(labels),
    }


def category_labels(values: pd.Series) -> pd.Series:
    """Each present cell as its label (20, 20.0 and "20" are "20"); missing: NaN."""
    return pd.Series(
        [None if pd.isna(value) else category_label(value) for value in values],
        index=values.index,
        dtype=object,
    )


def reference_path(model_path: Path) -> Path:
    """The reference beside a model file: ``reference_<model name>.json``.

    Its name does not start with the model's prefix, so the save that removes older
    models' files leaves it alone; :func:`save_reference` replaces it.
    """
    return model_path.with_name(f"reference_{model_path.stem}.json")


def reference_to_json(reference: dict[str, dict[str, Any]]) -> str:
    """The reference as JSON text, features in the model's order (labels sorted)."""
    return json.dumps(reference, indent=1, allow_nan=False) + "\n"


def save_reference(
    reference: dict[str, dict[str, Any]], trained_dir: Path | None = None
) -> dict[str, str]:
    """Write the reference beside this version's model, atomically.

    Call it before :func:`regression_model.processing.data_manager.save_pipeline`
    and pass what it returns in that function's metadata: the metadata, renamed
    last, then vouches for the reference as it does for the model and the plan.

    Parameters
    ----------
    reference : dict
        From :func:`build_reference`.
    trained_dir : Path, optional
        The trained folder; :func:`regression_model.config.default_trained_dir` by
        default.

    Returns
    -------
    dict
        ``{"reference_file": name, "reference_sha256": hex digits}``.
    """
    import hashlib

    path = reference_path(pipeline_path(trained_dir))
    content = reference_to_json(reference).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, content)
    return {
        "reference_file": path.name,
        "reference_sha256": hashlib.sha256(content).hexdigest(),
    }


def load_reference(trained_dir: Path | None = None) -> dict[str, dict[str, Any]] | None:
    """Read this version's reference, once its SHA-256 matches the metadata's.

    Parameters
    ----------
    trained_dir : Path, optional
        The trained folder; :func:`regression_model.config.default_trained_dir` by
        default.

    Returns
    -------
    dict or None
        The reference (:func:`build_reference`); ``None`` for a model trained before
        references existed (its metadata records none): there is no drift to tell.

    Raises
    ------
    FileNotFoundError
        If the model's metadata is absent, or the reference it records is.
    ModelIntegrityError
        If the reference's SHA-256 differs from the one recorded at training, or it
        is not a reference (the message names the file).
    """
    metadata = load_metadata(trained_dir)
    if "reference_file" not in metadata and "reference_sha256" not in metadata:
        return None
    model = pipeline_path(trained_dir)
    path = reference_path(model)
    content = read_vouched(model, path, "reference", None)
    try:
        reference = json.loads(content)
    except ValueError as error:
        raise ModelIntegrityError(f"{path} is not valid JSON ({error})") from error
    problem = _reference_problem(reference)
    if problem:
        raise ModelIntegrityError(f"{path} is not a training reference: {problem}")
    result: dict[str, dict[str, Any]] = reference
    return result


def _reference_problem(reference: Any) -> str | None:
    """What makes ``reference`` unusable (one phrase), or ``None``."""
    if not isinstance(reference, dict) or not reference:
        return "not a JSON object of features"
    for feature, spec in reference.items():
        if not isinstance(spec, dict) or spec.get("kind") not in {
            "numeric",
            "categorical",
        }:
            return f"{feature}: no kind numeric or categorical"
        shares = spec.get("shares")
        if spec["kind"] == "numeric" and not (
            isinstance(shares, list)
            and isinstance(spec.get("edges"), list)
            and len(shares) == len(spec["edges"]) + 1
        ):
            return f"{feature}: shares and edges disagree"
        if spec["kind"] == "categorical" and not isinstance(shares, dict):
            return f"{feature}: shares is not an object of labels"
        if not isinstance(spec.get("missing"), int | float):
            return f"{feature}: no missing share"
    return None
