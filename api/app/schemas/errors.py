"""The body of an error answered with a sentence rather than a list of fields."""

from __future__ import annotations

from typing import Any

from fastapi import status
from pydantic import BaseModel


class ErrorMessage(BaseModel):
    """What went wrong, in one sentence."""

    detail: str


# The answers a batch route (/predict, /explain) documents besides 200 and 422.
BATCH_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status.HTTP_400_BAD_REQUEST: {
        "model": ErrorMessage,
        "description": "The body is not text (not UTF-8), so not JSON either.",
    },
    status.HTTP_413_CONTENT_TOO_LARGE: {
        "model": ErrorMessage,
        "description": "More rows, or more bytes, than the service accepts in "
        "one request.",
    },
}
