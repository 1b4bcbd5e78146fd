"""What ``GET /api/v1/health`` answers."""

from __future__ import annotations

from pydantic import BaseModel


class Health(BaseModel):
    """The service is up; which API and which trained model answer."""

    name: str
    api_version: str
    model_version: str
