"""The body of an error answered with a sentence rather than a list of fields."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorMessage(BaseModel):
    """What went wrong, in one sentence."""

    detail: str
