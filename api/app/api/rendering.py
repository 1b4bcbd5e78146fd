"""Answers rendered to JSON in the route's thread, not on the event loop.

A route that returns a pydantic model has FastAPI validate it once more and
serialize it on the event loop. For a 1000-row ``/explain`` answer (tens of
thousands of numbers) that is milliseconds during which the loop answers nobody,
not even ``/health``. A plain ``def`` route runs in the thread pool, so rendering
the answer there, as bytes, leaves the loop only the sending. The route keeps its
``response_model``: the documented schema is the same.

An answer is UTF-8, and a lone surrogate cannot be: JSON lets a client send
``"\\ud800"``, half of a character, which Python reads as a one-character string.
Echoed back (a label the model never saw, in ``/explain``'s unknown inputs), it
would fail the encoding and turn the client's mistake into a 500. Such a character
is written as the six characters ``\\ud800`` instead (:func:`json_safe`).
"""

from __future__ import annotations

import math

from fastapi import Response
from pydantic import BaseModel
from pydantic_core import PydanticSerializationError


def escaped(text: str) -> str:
    """``text`` with each lone surrogate written as its escape (``\\ud800``)."""
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def json_safe(value: object) -> object:
    """``value`` as UTF-8 JSON can carry it: every non-finite float (NaN,
    ±Infinity) replaced by its name, every lone surrogate by its escape."""
    if isinstance(value, str):
        return escaped(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {json_safe(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value


def rendered(answer: BaseModel) -> Response:
    """``answer`` as a JSON response, serialized here (by its aliases, as FastAPI
    would); a text that is not UTF-8 is escaped first (see the module)."""
    try:
        text = answer.model_dump_json(by_alias=True)
    except PydanticSerializationError:
        safe = json_safe(answer.model_dump(by_alias=True))
        text = type(answer).model_validate(safe).model_dump_json(by_alias=True)
    return Response(text, media_type="application/json")
