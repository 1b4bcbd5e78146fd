"""Answers rendered to JSON in the route's thread, not on the event loop.

A route that returns a pydantic model has FastAPI validate it once more and
serialize it on the event loop. For a 1000-row ``/explain`` answer (tens of
thousands of numbers) that is milliseconds during which the loop answers nobody,
not even ``/health``. A plain ``def`` route runs in the thread pool, so rendering
the answer there, as bytes, leaves the loop only the sending. The route keeps its
``response_model``: the documented schema is the same.
"""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel


def rendered(answer: BaseModel) -> Response:
    """``answer`` as a JSON response, serialized here (by its aliases, as FastAPI
    would)."""
    return Response(
        answer.model_dump_json(by_alias=True), media_type="application/json"
    )
