"""Input drift: how far new houses are from the training split, feature by feature.

*Beyond the course*: the course's sequel teaches monitoring with Prometheus and
Grafana; this is how a drift figure is computed against the model's reference
(:mod:`regression_model.monitoring.reference`).

The population stability index (PSI) compares the share of rows in each bin of the
reference (a number's deciles, a category's labels, plus one bin for missing cells
and, for a category, one for labels training never saw) with the share of new rows
in the same bins::

    PSI = sum over bins of (new - reference) * ln(new / reference)

It is 0 when the shares agree and grows with every share that moves. The usual
reading: below 0.1 stable, 0.1 to 0.25 a moderate shift, above 0.25 a large one
(:func:`verdict`). An empty bin would make the logarithm infinite, so a share below
:data:`EPSILON` counts as :data:`EPSILON`: a bin that was empty at training and
holds 5 % of the new rows adds about 0.3.

For a number, :func:`ks_by_feature` adds the Kolmogorov-Smirnov test: the largest
gap between the new rows' cumulative distribution and the training split's (read
from its 101 stored percentiles, so to within 1 %). Its p-value is the one-sample
test's, treating the reference as exact (and conservative for counts, whose ties
make gaps smaller); with many rows a small shift has a tiny p-value, so read the
statistic (the gap) first.

Nothing here changes a price: drift is watched, never acted on by the model.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from regression_model.monitoring.reference import category_labels

EPSILON = 1e-4
"""The smallest share a bin counts with, so that an empty bin's logarithm is finite."""

MODERATE_PSI = 0.1
"""From this PSI on, a feature has shifted moderately."""

LARGE_PSI = 0.25
"""Above this PSI, a feature has shifted a lot: it is flagged."""


def bin_shares(
    reference_feature: dict[str, Any], values: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """The reference's shares and ``values``' shares, over the same bins.

    A number's bins are the reference's, then missing; a category's are its
    training labels, then labels training never saw, then missing. A numeric cell
    that is not a number counts as missing.

    Returns
    -------
    expected, actual : numpy.ndarray
        Two arrays of shares, each adding up to 1 (``actual`` is empty-safe: all
        zeros for no rows).
    """
    n_rows = len(values)
    if reference_feature["kind"] == "numeric":
        edges = np.asarray(reference_feature["edges"], dtype=np.float64)
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
        present = numbers[~np.isnan(numbers)]
        counts = np.bincount(
            np.searchsorted(edges, present, side="left"), minlength=len(edges) + 1
        )
        expected = [*reference_feature["shares"], reference_feature["missing"]]
        actual = [*counts, n_rows - len(present)]
    else:
        shares: dict[str, float] = reference_feature["shares"]
        labels = category_labels(values)
        present = labels.dropna()
        counted = present.value_counts()
        seen = [int(counted.get(label, 0)) for label in shares]
        unseen = len(present) - sum(seen)
        expected = [*shares.values(), 0.0, reference_feature["missing"]]
        actual = [*seen, unseen, n_rows - len(present)]
    actual_shares = np.asarray(actual, dtype=np.float64) / max(n_rows, 1)
    return np.asarray(expected, dtype=np.float64), actual_shares


def psi(reference_feature: dict[str, Any], values: pd.Series) -> float:
    """The population stability index of ``values`` against one feature's reference.

    Parameters
    ----------
    reference_feature : dict
        One feature of :func:`regression_model.monitoring.reference.build_reference`.
    values : pandas.Series
        The new rows' raw values of that feature.

    Returns
    -------
    float
        The PSI (0 for the same shares); NaN if there are no rows.
    """
    if len(values) == 0:
        return math.nan
    expected, actual = bin_shares(reference_feature, values)
    expected = np.maximum(expected, EPSILON)
    actual = np.maximum(actual, EPSILON)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def psi_by_feature(
    reference: dict[str, dict[str, Any]], frame: pd.DataFrame
) -> dict[str, float]:
    """The PSI of every feature of ``reference`` in ``frame``.

    A feature absent from ``frame`` counts as all missing (the model would impute
    it).
    """
    return {
        feature: psi(spec, feature_column(frame, feature))
        for feature, spec in reference.items()
    }


def ks_by_feature(
    reference: dict[str, dict[str, Any]], frame: pd.DataFrame
) -> dict[str, dict[str, float]]:
    """The KS statistic and p-value of every numeric feature's present values.

    Returns
    -------
    dict
        ``{feature: {"statistic": gap, "p_value": p}}`` for the numeric features
        (NaN for both when a feature has no present value).
    """
    from scipy import stats

    result: dict[str, dict[str, float]] = {}
    for feature, spec in reference.items():
        if spec["kind"] != "numeric":
            continue
        numbers = pd.to_numeric(feature_column(frame, feature), errors="coerce")
        present = numbers.dropna().to_numpy(dtype=np.float64)
        if len(present) == 0:
            result[feature] = {"statistic": math.nan, "p_value": math.nan}
            continue
        statistic = ks_statistic(spec["percentiles"], present)
        result[feature] = {
            "statistic": statistic,
            "p_value": float(stats.kstwo.sf(statistic, len(present))),
        }
    return result


def ks_statistic(percentiles: list[float], values: np.ndarray) -> float:
    """The largest gap between the training split's and ``values``' cumulative shares.

    Both are step functions (the share of rows at or below x), so the gap is
    largest at one of their steps: the stored percentiles and the new values. The
    training split's share at or below x is read from its ``inverted_cdf``
    percentiles (the value at level p is the smallest with a share p at or below
    it): the highest level whose value is <= x, within 1 %. Ties (a count such as
    ``FullBath``) are handled as such: the gap is measured after each tied value.
    """
    reference = np.asarray(percentiles, dtype=np.float64)
    levels = np.linspace(0.0, 1.0, len(reference))
    new = np.sort(values)
    steps = np.union1d(reference, new)
    count = np.searchsorted(reference, steps, side="right")
    reference_share = np.where(count > 0, levels[np.maximum(count - 1, 0)], 0.0)
    new_share = np.searchsorted(new, steps, side="right") / len(new)
    return float(np.max(np.abs(new_share - reference_share)))


def verdict(value: float) -> str:
    """A PSI in words: "stable", "moderate" (0.1 to 0.25) or "large" (flagged)."""
    if math.isnan(value):
        return "no rows"
    if value > LARGE_PSI:
        return "large"
    return "moderate" if value >= MODERATE_PSI else "stable"


def feature_column(frame: pd.DataFrame, feature: str) -> pd.Series:
    """``frame``'s column ``feature``; all missing if it has none."""
    if feature in frame.columns:
        return frame[feature]
    return pd.Series([math.nan] * len(frame), index=frame.index, dtype=np.float64)
