"""``POST /predict``: price a batch of houses with the trained model."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, HTTPException, status
from regression_model.predict import make_prediction

from app.api.deps import ModelDep, SettingsDep
from app.schemas.errors import ErrorMessage
from app.schemas.predict import PredictionRequest, PredictionResponse

router = APIRouter(tags=["predict"])

NON_FINITE = (
    "the price is not a finite number: some value of this row is far outside "
    "the range of the training data"
)


@router.post(
    "/predict",
    response_model=PredictionResponse,
    responses={
        status.HTTP_400_BAD_REQUEST: {
            "model": ErrorMessage,
            "description": "The body is not text (not UTF-8), so not JSON either.",
        },
        status.HTTP_413_CONTENT_TOO_LARGE: {
            "model": ErrorMessage,
            "description": "More rows than the service accepts in one request.",
        },
    },
)
def predict(
    request: PredictionRequest, settings: SettingsDep, model: ModelDep
) -> PredictionResponse:
    """Price every row exactly as ``regression_model.predict.make_prediction`` does.

    A plain ``def``: the model's work is CPU-bound, so FastAPI runs it in its thread
    pool instead of blocking the event loop.
    """
    n_rows = len(request.inputs)
    if n_rows > settings.max_batch_rows:
        raise HTTPException(
            status_code=status.HTTP_413_CONTENT_TOO_LARGE,
            detail=(
                f"inputs: {n_rows} rows is more than the {settings.max_batch_rows} "
                "rows one request may send; split the batch"
            ),
        )
    # Every column, keyed by its Kaggle name; a field the client left out is None,
    # a missing value the model imputes.
    rows = [row.model_dump(by_alias=True) for row in request.inputs]
    result = make_prediction(input_data=rows, model=model)
    return PredictionResponse.model_validate(report_non_finite_prices(result))


def report_non_finite_prices(result: dict[str, Any]) -> dict[str, Any]:
    """Turn a price JSON cannot carry (an overflow to infinity) into a row error.

    A value far outside the training data (a million fireplaces) can make the price
    overflow. JSON has no infinity, and a bare ``null`` would hide why that row has
    no price, so the row gets ``None`` and an error, like a row the package rejects.
    """
    predictions = list(result["predictions"])
    errors = list(result["errors"])
    for row, price in enumerate(predictions):
        if price is not None and not math.isfinite(price):
            predictions[row] = None
            errors.append({"row": row, "column": "SalePrice", "message": NON_FINITE})
    return {**result, "predictions": predictions, "errors": errors}
