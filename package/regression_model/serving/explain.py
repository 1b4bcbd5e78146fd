"""Why this price: each feature's contribution to the log price, from the scoring plan.

In log-price space the model is a sum. Lasso adds to its intercept one term per
feature, ``coef * scaled value``, and the price is ``exp`` of the total. So the terms
*are* the features' contributions, and nothing is approximated::

    price == exp(intercept + sum(contributions))     (to rounding, ~1e-15 relative)

What a contribution is measured against: the MinMax scaler maps each feature's
lowest training value to 0, so the intercept is the log price of a house with every
feature at its training minimum (for a label: the label coded lowest, the cheapest),
and a feature's contribution is how far this house's value moves the log price from
there. ``exp(contribution) - 1`` reads as a percentage: "+25 %" means this value makes
the price 25 % higher than that feature's lowest value would, the others unchanged.

The features come from the plan's own code (:class:`_FeaturePlan` stops it before
the scaler), so an explanation can never drift from the price it explains. The price
range comes from the holdout's residuals, stored in the plan at training
(:func:`regression_model.train_pipeline.holdout_price_range`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from regression_model.serving.plan import ScoringPlan, category_label


class _FeaturePlan(ScoringPlan):
    """The plan's steps up to the features Lasso reads, unscaled: no price."""

    def _finish(self, X: np.ndarray) -> np.ndarray:
        return X


@functools.lru_cache(maxsize=4)
def _feature_plan(plan: ScoringPlan) -> _FeaturePlan:
    return _FeaturePlan(plan.plan)


def contributions(
    plan: ScoringPlan, records: Sequence[Mapping[str, Any]]
) -> np.ndarray:
    """Each feature's term of the log price, for houses given as validated dicts.

    Parameters
    ----------
    plan : ScoringPlan
        The model.
    records : sequence of dict
        Validated rows keyed by Kaggle names, as
        :func:`regression_model.predict.make_prediction` scores them: a missing
        value is ``None`` or absent.

    Returns
    -------
    numpy.ndarray of shape (n_rows, n_features)
        In the order of ``plan.features``; ``exp(plan.intercept_ + row.sum())`` is
        the row's price.
    """
    columns: dict[str, Any] = {
        variable: [record.get(variable) for record in records]
        for variable in plan.categorical
    }
    for variable in plan.numerical:
        columns[variable] = np.asarray(
            [record.get(variable) for record in records], dtype=np.float64
        )
    features = _feature_plan(plan).score_columns(columns, len(records))
    # the scaler's and Lasso's operations, kept apart per feature instead of summed
    return (features * plan.scale_ + plan.min_) * plan.coef_


def not_seen(plan: ScoringPlan, record: Mapping[str, Any]) -> dict[str, list[str]]:
    """The inputs of one house the model priced as unknown.

    Returns
    -------
    dict
        ``imputed``: the inputs that are missing (imputed as in training);
        ``unseen``: the labels training never had, as ``"column=label"`` (priced
        as a missing value).
    """
    imputed: list[str] = []
    unseen: list[str] = []
    for variable in plan.inputs:
        value = record.get(variable)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            imputed.append(variable)
        elif variable in plan.tables:
            label = category_label(value) if variable in plan.numeric_coded else value
            if label not in plan.tables[variable]:
                unseen.append(f"{variable}={label}")
    return {"imputed": imputed, "unseen": unseen}


def price_range(plan: ScoringPlan, price: float) -> tuple[float, float] | None:
    """The range ``price * exp(q_low)`` to ``price * exp(q_high)``, or ``None``.

    ``q_low`` and ``q_high`` are the quantiles of the holdout's log residuals saved
    in the plan at training (``None`` for a plan saved without them). The range held
    that share of the holdout's sale prices: for the 10 % and 90 % quantiles, 8 in 10.
    """
    stored = plan.plan.get("price_range")
    if stored is None:
        return None
    low, high = stored["log_residuals"]
    return price * math.exp(low), price * math.exp(high)
