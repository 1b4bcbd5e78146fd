"""Health a person or a router can use.

- ``GET /health``: is the service up, and which versions answer;
- ``GET /health/live``: the process answers (a liveness probe: restart it if not);
- ``GET /health/ready``: send it requests? ``200`` when the model is loaded and the
  replica is not draining, ``503`` with the reason otherwise (a readiness probe:
  the router stops sending, nothing is restarted).

``live`` and ``ready`` are ``async def``: they only read flags, so the event loop
answers them at once, even while every worker thread is pricing a batch (a plain
``def`` route would wait for a free thread, and a busy replica would look dead).
Each path also answers ``HEAD``, a router's cheap probe.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from fastapi.responses import JSONResponse
from regression_model import __version__ as model_version

from app import __version__ as api_version
from app.api.deps import SettingsDep
from app.core.lifecycle import replica
from app.schemas.health import Health, Liveness, Readiness

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(settings: SettingsDep) -> Health:
    """Report the API's name and version and the version of the model it serves."""
    return Health(
        name=settings.project_name,
        api_version=api_version,
        model_version=model_version,
    )


@router.get("/health/live", response_model=Liveness)
async def live() -> Liveness:
    """Answer while the process answers; no model work."""
    return Liveness()


@router.get(
    "/health/ready",
    response_model=Readiness,
    responses={
        status.HTTP_503_SERVICE_UNAVAILABLE: {
            "model": Readiness,
            "description": "Not ready: `starting` (no model yet) or `draining` "
            "(stopping after SIGTERM). Send requests elsewhere.",
        }
    },
)
async def ready(request: Request) -> Readiness | JSONResponse:
    """``200`` if the model is loaded and the replica is not draining, else ``503``."""
    if getattr(request.app.state, "model", None) is None:
        answer = Readiness(status="starting")
    elif replica.draining:
        answer = Readiness(status="draining")
    else:
        return Readiness(status="ready")
    return JSONResponse(
        answer.model_dump(), status_code=status.HTTP_503_SERVICE_UNAVAILABLE
    )


# HEAD where GET is (a load balancer's cheap probe); one operation each in the schema.
router.add_api_route(
    "/health", health, methods=["HEAD"], response_model=Health, include_in_schema=False
)
router.add_api_route(
    "/health/live",
    live,
    methods=["HEAD"],
    response_model=Liveness,
    include_in_schema=False,
)
router.add_api_route(
    "/health/ready",
    ready,
    methods=["HEAD"],
    response_model=Readiness,
    include_in_schema=False,
)
