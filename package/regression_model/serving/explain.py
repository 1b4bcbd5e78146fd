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

The scaled features come from the plan's own methods (:meth:`ScoringPlan.feature_matrix`
and :meth:`ScoringPlan.scale`), the very ones that price the house, so an explanation
can never drift from the price it explains. The price range comes from the holdout's
residuals, stored in the plan at training
(:func:`regression_model.train_pipeline.holdout_price_range`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from regression_model.processing.schema import category_label, is_missing
from regression_model.serving.plan import ScoringPlan


def explanations(
    plan: ScoringPlan,
    columns: Mapping[str, np.ndarray],
    scaled: np.ndarray,
    prices: Sequence[float | None],
) -> list[dict[str, Any] | None]:
    """Why each house has its price, from the features that priced it.

    Parameters
    ----------
    plan : ScoringPlan
        The model.
    columns : mapping of str to numpy.ndarray
        The validated input columns the houses were priced from.
    scaled : numpy.ndarray of shape (n_rows, n_features)
        Their scaled features: ``plan.scale(plan.feature_matrix(columns, n_rows))``.
    prices : sequence of float or None
        Each house's price, ``None`` for one that has none (out of the price bounds).

    Returns
    -------
    list of dict or None
        Per house ``None`` (no price, or a contribution that is not finite), else
        its ``intercept``, ``contributions`` (``{"feature", "contribution"}`` in the
        order of ``plan.features``), ``price_range`` (``{"low", "high"}`` or
        ``None``) and the inputs priced as unknown (``imputed``, ``unseen``).
    """
    terms = scaled * plan.coef_
    found: list[dict[str, Any] | None] = []
    for row, (row_terms, price) in enumerate(zip(terms, prices, strict=True)):
        if price is None or not np.isfinite(row_terms).all():
            found.append(None)
            continue
        span = price_range(plan, price)
        record = {variable: values[row] for variable, values in columns.items()}
        found.append(
            {
                "intercept": plan.intercept_,
                "contributions": [
                    {"feature": feature, "contribution": float(term)}
                    for feature, term in zip(plan.features, row_terms, strict=True)
                ],
                "price_range": None
                if span is None
                else {"low": span[0], "high": span[1]},
                **not_seen(plan, record),
            }
        )
    return found


def range_quantiles(plan: ScoringPlan) -> list[float] | None:
    """The holdout quantiles the price ranges use (``None``: the plan has none)."""
    stored = plan.plan.get("price_range")
    return None if stored is None else list(stored["quantiles"])


def contributions(
    plan: ScoringPlan, records: Sequence[Mapping[str, Any]]
) -> np.ndarray:
    """Each feature's term of the log price, for houses given as validated dicts.

    Parameters
    ----------
    plan : ScoringPlan
        The model.
    records : sequence of dict
        Validated rows keyed by Kaggle names: a missing value is ``None``, NaN or
        absent.

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
    scaled = plan.scale(plan.feature_matrix(columns, len(records)))
    return scaled * plan.coef_


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
        if is_missing(value):
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
