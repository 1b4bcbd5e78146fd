"""``POST /explain``: the prediction, with each feature's part in each price."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.api.deps import BatchDep, ModelDep
from app.api.rendering import rendered
from app.schemas.errors import BATCH_ERROR_RESPONSES
from app.schemas.explain import ExplanationResponse
from app.services.pricing import logged, price

router = APIRouter(tags=["predict"])


@router.post(
    "/explain",
    response_model=ExplanationResponse,
    responses=BATCH_ERROR_RESPONSES,
)
def explain(body: BatchDep, model: ModelDep, request: Request) -> Response:
    """Price the rows as ``/predict`` does (same body), and explain each price.

    For each priced row: the intercept and every feature's contribution in
    log-price space (``exp(intercept + sum(contributions))`` is the price), the
    price range of the holdout's residuals, and the inputs priced as unknown.
    A row without a price has ``null``, and the error ``/predict`` gives it.

    Both routes call the same pricing function, so they share the body, the
    limits, the prices, the errors and the warnings, and the prediction log
    records both alike (``X-Request-ID``).
    """
    result = price(body.inputs, model, explain=True)
    state = request.app.state
    request_id = logged(
        getattr(state, "prediction_log", None),
        body.inputs,
        result,
        getattr(state, "plan_sha256", ""),
    )
    response = rendered(ExplanationResponse.from_result(result))
    response.headers["X-Request-ID"] = request_id
    return response
