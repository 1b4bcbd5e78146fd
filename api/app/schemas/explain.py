"""The answer of ``POST /api/v1/explain``: the prediction, and why this price.

The body it takes is ``/predict``'s (:class:`app.schemas.predict.PredictionRequest`),
and its answer extends ``/predict``'s, so the two can never disagree on a price, an
error or a warning.
"""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, Field

from app.schemas.predict import PredictionResponse


class Contribution(BaseModel):
    """One feature's term of the log price."""

    feature: str = Field(description="The model feature (Kaggle column name).")
    contribution: float = Field(
        description=(
            "Its term of the log price: this house's value against the feature's "
            "lowest training value. exp(contribution) - 1 is the price change."
        )
    )


class PriceRange(BaseModel):
    """Where the sale price fell for 8 in 10 holdout houses, scaled to this price."""

    low: float = Field(description="price * exp(10 % quantile of holdout residuals)")
    high: float = Field(description="price * exp(90 % quantile of holdout residuals)")


class RowExplanation(BaseModel):
    """Why one row has its price: exp(intercept + sum of contributions) = price."""

    intercept: float = Field(
        description="The log price with every feature at its lowest training value."
    )
    contributions: list[Contribution] = Field(
        description="One per model feature, in the model's order."
    )
    price_range: PriceRange | None = Field(
        description="Null for a model trained without a stored range."
    )
    imputed: list[str] = Field(
        description="Inputs missing in this row, imputed as in training."
    )
    unseen: list[str] = Field(
        description="Labels never seen in training (column=label): priced as missing."
    )


class ExplanationResponse(PredictionResponse):
    """``/predict``'s answer, plus one explanation per row (null where no price)."""

    explanations: list[RowExplanation | None]
    range_quantiles: list[float] | None = Field(
        description="The quantiles of the holdout's log residuals the ranges use."
    )

    @classmethod
    def from_result(cls, result: dict[str, Any]) -> Self:
        """The answer for ``make_prediction(..., explain=True)``'s result.

        Validated row by row: one model for a 1000-row answer is a single call of
        ~0.1 s that holds the GIL throughout, so the event loop (and ``/health``)
        would wait for it; a thousand short calls let it in between.
        """
        explanations = [
            None if row is None else RowExplanation.model_validate(row)
            for row in result["explanations"]
        ]
        prediction = PredictionResponse.from_result(result)
        return cls.model_construct(
            **dict(prediction),
            explanations=explanations,
            range_quantiles=result["range_quantiles"],
        )
