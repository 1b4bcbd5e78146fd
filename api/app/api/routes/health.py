"""``GET /health``: is the service up, and which versions answer."""

from __future__ import annotations

from fastapi import APIRouter
from regression_model import __version__ as model_version

from app import __version__ as api_version
from app.api.deps import SettingsDep
from app.schemas.health import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(settings: SettingsDep) -> Health:
    """Report the API's name and version and the version of the model it serves."""
    return Health(
        name=settings.project_name,
        api_version=api_version,
        model_version=model_version,
    )


# HEAD where GET is (a load balancer's cheap probe); one operation in the schema.
router.add_api_route(
    "/health", health, methods=["HEAD"], response_model=Health, include_in_schema=False
)
