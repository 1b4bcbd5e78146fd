"""``POST /explain``: the prediction, with each feature's part in each price."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, Depends, Request
from regression_model.serving.explain import contributions, not_seen, price_range

from app.api.deps import ModelDep
from app.api.routes.predict import predict
from app.schemas.errors import BATCH_ERROR_RESPONSES
from app.schemas.explain import ExplanationResponse, RowExplanation
from app.schemas.predict import HouseRow, PredictionResponse

router = APIRouter(tags=["predict"])


async def sent_rows(request: Request) -> list[Any]:
    """The body's rows as sent (FastAPI has read it; it validates it as /predict's).

    The body is declared once, by the ``/predict`` route this one depends on: a
    second declaration here would validate it twice and report every error twice.
    """
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return []
    rows = body.get("inputs") if isinstance(body, dict) else None
    return rows if isinstance(rows, list) else []


@router.post(
    "/explain",
    response_model=ExplanationResponse,
    responses=BATCH_ERROR_RESPONSES,
)
def explain(
    prediction: Annotated[PredictionResponse, Depends(predict)],
    rows: Annotated[list[Any], Depends(sent_rows)],
    model: ModelDep,
) -> ExplanationResponse:
    """Price the rows as ``/predict`` does (same body), and explain each price.

    For each priced row: the intercept and every feature's contribution in
    log-price space (``exp(intercept + sum(contributions))`` is the price), the
    price range of the holdout's residuals, and the inputs priced as unknown.
    A row with an error has ``null``, and the error ``/predict`` gives it.

    The prediction *is* ``/predict``'s: its route is this one's dependency, so the
    two share the body, the limits, the errors and the warnings.
    """
    priced = [
        row for row, price in enumerate(prediction.predictions) if price is not None
    ]
    records = [
        HouseRow.model_validate(rows[row]).model_dump(by_alias=True) for row in priced
    ]
    explanations: list[RowExplanation | None] = [None] * len(prediction.predictions)
    terms = contributions(model, records) if records else np.empty((0, 0))
    for row, record, row_terms in zip(priced, records, terms, strict=True):
        if not all(math.isfinite(term) for term in row_terms):
            continue
        price = prediction.predictions[row]
        assert price is not None
        span = price_range(model, price)
        explanations[row] = RowExplanation.model_validate(
            {
                "intercept": model.intercept_,
                "contributions": [
                    {"feature": feature, "contribution": float(term)}
                    for feature, term in zip(model.features, row_terms, strict=True)
                ],
                "price_range": None
                if span is None
                else {"low": span[0], "high": span[1]},
                **not_seen(model, record),
            }
        )
    stored = model.plan.get("price_range")
    return ExplanationResponse(
        **prediction.model_dump(),
        explanations=explanations,
        range_quantiles=None if stored is None else stored["quantiles"],
    )
