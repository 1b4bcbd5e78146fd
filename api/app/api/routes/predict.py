"""``POST /predict``: price a batch of houses with the trained model."""

from __future__ import annotations

from fastapi import APIRouter, Response

from app.api.deps import BatchDep, ModelDep
from app.api.rendering import rendered
from app.schemas.errors import BATCH_ERROR_RESPONSES
from app.schemas.predict import PredictionResponse
from app.services.pricing import price

router = APIRouter(tags=["predict"])


@router.post(
    "/predict",
    response_model=PredictionResponse,
    responses=BATCH_ERROR_RESPONSES,
)
def predict(body: BatchDep, model: ModelDep) -> Response:
    """Price every row exactly as ``regression_model.predict.make_prediction`` does.

    The package gets the rows as they were sent, so its warnings (ignored keys,
    absent columns, unseen labels) are the client's too. A plain ``def``: the
    model's work is CPU-bound, so FastAPI runs it in its thread pool instead of
    blocking the event loop.
    """
    return rendered(PredictionResponse.from_result(price(body.inputs, model)))
