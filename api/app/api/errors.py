"""How a request that fails validation is answered: 422 with one entry per problem.

Two kinds of request get it: a body of the wrong shape (FastAPI's
``RequestValidationError``) and rows whose values the schema refuses
(:class:`app.services.pricing.RowsRejected`, found when the package validates them).
Both get FastAPI's body, ``{"detail": [{"loc", "msg", "type", ...}]}``, listing at
most :data:`~app.schemas.predict.MAX_ERRORS` problems, then one entry counting the
rest: a batch of bad rows cannot make the answer as large as the batch.

FastAPI's own answer echoes each bad value back as ``input``. Python's JSON parser
accepts ``NaN`` and ``Infinity``, which strict JSON cannot carry, so echoing them
would fail while answering and turn a client's mistake into a 500. This handler
gives the same answer, with such a value echoed as a string.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.schemas.predict import MAX_ERRORS
from app.services.pricing import RowsRejected


def json_safe(value: object) -> object:
    """``value`` with every non-finite float (NaN, ±Infinity) replaced by its name."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


TOO_DEEP = "(nested too deeply to echo)"


def echoable(error: dict[str, Any]) -> object:
    """One error, JSON-safe; a bad value nested too deeply is not echoed back."""
    try:
        return json_safe(jsonable_encoder(error))
    except RecursionError:
        return json_safe(jsonable_encoder({**error, "input": TOO_DEEP, "ctx": {}}))


def capped(errors: list[dict[str, Any]]) -> list[object]:
    """The first MAX_ERRORS errors, JSON-safe, then one counting the others."""
    detail = [echoable(error) for error in errors[:MAX_ERRORS]]
    if len(errors) > MAX_ERRORS:
        detail.append(
            {
                "type": "too_many_errors",
                "loc": ["body", "inputs"],
                "msg": f"{len(errors) - MAX_ERRORS} more errors not shown "
                f"(the first {MAX_ERRORS} are listed)",
                "input": None,
            }
        )
    return detail


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Answer 422 with FastAPI's usual body: ``{"detail": [{"loc", "msg", ...}]}``.

    A refused row's errors are placed in the body (``["body", "inputs", row,
    column]``). A value nested hundreds deep (``[[[[...]]]]`` where a number
    belongs) is still named by its row and column, but not echoed: copying it back
    would recurse past Python's limit and turn the client's mistake into a 500.
    """
    if isinstance(exc, RowsRejected):
        errors = [
            {**error, "loc": ("body", "inputs", *error["loc"])} for error in exc.errors
        ]
    else:
        assert isinstance(exc, RequestValidationError)
        errors = list(exc.errors())
    return JSONResponse(
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        content={"detail": capped(errors)},
    )
