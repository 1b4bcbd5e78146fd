"""What ``GET /api/v1/health``, ``/health/live`` and ``/health/ready`` answer."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class Health(BaseModel):
    """The service is up; which API and which trained model answer."""

    name: str
    api_version: str
    model_version: str


class Liveness(BaseModel):
    """The process answers (a liveness probe restarts a replica that stops)."""

    status: Literal["alive"] = "alive"


class Readiness(BaseModel):
    """Whether a router may send this replica requests, and if not, why.

    ``ready``: the model is loaded and the replica is not draining. ``starting``:
    the model is not loaded yet. ``draining``: the replica got SIGTERM and will
    stop soon; it still answers what it gets.
    """

    status: Literal["ready", "starting", "draining"]
