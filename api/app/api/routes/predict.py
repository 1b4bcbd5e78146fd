"""``POST /predict``: price a batch of houses with the trained model.

Each answer names its request (``X-Request-ID``), the id under which the
prediction log keeps its rows and prices.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.api.deps import BatchDep, ModelDep
from app.api.rendering import rendered
from app.schemas.errors import BATCH_ERROR_RESPONSES
from app.schemas.predict import PredictionResponse
from app.services.pricing import logged, price

router = APIRouter(tags=["predict"])


@router.post(
    "/predict",
    response_model=PredictionResponse,
    responses=BATCH_ERROR_RESPONSES,
)
def predict(body: BatchDep, model: ModelDep, request: Request) -> Response:
    """Price every row exactly as ``regression_model.predict.make_prediction`` does.

    The package gets the rows as they were sent, so its warnings (ignored keys,
    absent columns, unseen labels) are the client's too. A plain ``def``: the
    model's work is CPU-bound, so FastAPI runs it in its thread pool instead of
    blocking the event loop. The answer's ``X-Request-ID`` header names the
    request in the prediction log.
    """
    result = price(body.inputs, model)
    state = request.app.state
    request_id = logged(
        getattr(state, "prediction_log", None),
        body.inputs,
        result,
        getattr(state, "plan_sha256", ""),
    )
    if (shadow := getattr(state, "shadow", None)) is not None:
        shadow.submit(request_id, body.inputs)  # priced again off this path
    response = rendered(PredictionResponse.from_result(result))
    response.headers["X-Request-ID"] = request_id
    return response
