"""``POST /predict``: price a batch of houses with the trained model.

Limits come before work: the number of rows is checked on the parsed body before any
row is validated (413, for valid and invalid rows alike), and a 422 lists at most
:data:`MAX_ERRORS` problems, then says how many more there were.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from regression_model.predict import make_prediction

from app.api.deps import ModelDep, SettingsDep
from app.schemas.errors import BATCH_ERROR_RESPONSES
from app.schemas.predict import (
    MAX_ERRORS,
    HouseRow,
    PredictionRequest,
    PredictionResponse,
)

router = APIRouter(tags=["predict"])


async def checked_rows(request: Request, settings: SettingsDep) -> list[Any]:
    """The body's rows as sent, once their number and every row are checked.

    FastAPI solves dependencies before it validates the body, so this runs on the
    parsed JSON: a batch over the limit is refused before any row is looked at, and
    the rows' errors are capped. A body of another shape is left to FastAPI's own
    answer (422 naming the place).
    """
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return []  # FastAPI answers it (422 or 400)
    rows = body.get("inputs") if isinstance(body, dict) else None
    if not isinstance(rows, list):
        return []
    if len(rows) > settings.max_batch_rows:
        raise HTTPException(
            status_code=status.HTTP_413_CONTENT_TOO_LARGE,
            detail=(
                f"inputs: {len(rows)} rows is more than the "
                f"{settings.max_batch_rows} rows one request may send; split the batch"
            ),
        )
    errors: list[dict[str, Any]] = []
    n_errors = 0
    for position, row in enumerate(rows):
        try:
            HouseRow.model_validate(row)
        except ValidationError as error:
            found = error.errors(include_url=False)
            n_errors += len(found)
            for detail in found[: max(0, MAX_ERRORS - len(errors))]:
                errors.append(
                    {**detail, "loc": ("body", "inputs", position, *detail["loc"])}
                )
    if n_errors > len(errors):
        errors.append(
            {
                "type": "too_many_errors",
                "loc": ("body", "inputs"),
                "msg": f"{n_errors - len(errors)} more errors not shown "
                f"(the first {MAX_ERRORS} are listed)",
                "input": None,
            }
        )
    if errors:
        raise RequestValidationError(errors)
    return rows


RowsDep = Annotated[list[Any], Depends(checked_rows)]


@router.post(
    "/predict",
    response_model=PredictionResponse,
    responses=BATCH_ERROR_RESPONSES,
)
def predict(
    request: PredictionRequest, rows: RowsDep, model: ModelDep
) -> PredictionResponse:
    """Price every row exactly as ``regression_model.predict.make_prediction`` does.

    The package gets the rows as they were sent, so its warnings (ignored keys,
    absent columns, unseen labels) are the client's too. A plain ``def``: the
    model's work is CPU-bound, so FastAPI runs it in its thread pool instead of
    blocking the event loop.
    """
    result = make_prediction(input_data=rows, model=model)
    errors = result["errors"]
    return PredictionResponse.model_validate(
        {
            **result,
            "errors": errors[:MAX_ERRORS],
            "errors_not_shown": max(0, len(errors) - MAX_ERRORS),
        }
    )
