"""How a request that fails validation is answered: 422 with one entry per problem.

Two kinds of request get it: a body of the wrong shape (FastAPI's
``RequestValidationError``) and rows whose values the schema refuses
(:class:`app.services.pricing.RowsRejected`, found when the package validates them).
Both get FastAPI's body, ``{"detail": [{"loc", "msg", "type", ...}]}``, listing at
most :data:`~app.schemas.predict.MAX_ERRORS` problems, then one entry counting the
rest: a batch of bad rows cannot make the answer as large as the batch.

FastAPI's own answer echoes each bad value back as ``input``, which a hostile body
can turn into a 500 or a huge answer. This handler gives the same answer, with the
value echoed as JSON can carry it and no larger than a glance needs:

- ``NaN`` and ``Infinity`` (Python's parser accepts them, strict JSON cannot carry
  them) and lone surrogates (``"\\ud800"``, not UTF-8) are written as text
  (:func:`~app.api.rendering.json_safe`);
- a text is cut to :data:`MAX_ECHO_CHARACTERS` characters, and a body sent with
  another content type than JSON (which FastAPI passes on as bytes) is echoed as
  text, undecodable bytes replaced;
- a value nested deeper than :data:`MAX_ECHO_DEPTH`, or holding more than
  :data:`MAX_ECHO_VALUES` values, is described instead of copied.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from app.api.rendering import escaped, json_safe
from app.schemas.predict import MAX_ERRORS
from app.services.pricing import RowsRejected

# An echoed text, or an integer's digits, is cut after this many characters.
MAX_ECHO_CHARACTERS = 80
# A list or object is echoed only if it holds at most this many values, this deep.
MAX_ECHO_VALUES = 50
MAX_ECHO_DEPTH = 20

TOO_DEEP = "(nested too deeply to echo)"


class _NotEchoed(Exception):
    """The value is too deep or too large to echo."""


def _clipped(text: str) -> str:
    """``text`` cut to MAX_ECHO_CHARACTERS characters (then ``...``), escaped."""
    if len(text) > MAX_ECHO_CHARACTERS:
        text = text[:MAX_ECHO_CHARACTERS] + "..."
    return escaped(text)


def _count(value: object, depth: int = 0) -> int:
    """How many values ``value`` holds, itself included.

    Raises ``_NotEchoed`` past MAX_ECHO_DEPTH or MAX_ECHO_VALUES, without walking
    the rest: the walk costs at most MAX_ECHO_VALUES steps.
    """
    if depth > MAX_ECHO_DEPTH:
        raise _NotEchoed(TOO_DEEP)
    items = (
        value.values()
        if isinstance(value, dict)
        else value
        if isinstance(value, list | tuple)
        else ()
    )
    total = 1
    for item in items:
        total += _count(item, depth + 1)
        if total > MAX_ECHO_VALUES:
            raise _NotEchoed(f"(more than {MAX_ECHO_VALUES} values: not echoed)")
    return total


def echoed(value: object) -> object:
    """``value`` as the answer may echo it (see the module)."""
    if isinstance(value, bytes | bytearray):
        value = bytes(value[: 4 * MAX_ECHO_CHARACTERS]).decode("utf-8", "replace")
    if isinstance(value, str):
        return _clipped(value)
    if isinstance(value, int) and value.bit_length() > 3 * MAX_ECHO_CHARACTERS:
        return "(an integer too large to echo)"
    if isinstance(value, dict | list | tuple):
        try:
            _count(value)
        except _NotEchoed as not_echoed:
            return str(not_echoed)
        if isinstance(value, dict):
            return {_clipped(str(key)): echoed(item) for key, item in value.items()}
        return [echoed(item) for item in value]
    return json_safe(value)


def echoable(error: dict[str, Any]) -> object:
    """One error as the answer may carry it: its value echoed (see
    :func:`echoed`), everything JSON-safe."""
    shown = {**error, "input": echoed(error.get("input"))}
    return json_safe(jsonable_encoder(shown))


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
