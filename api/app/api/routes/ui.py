"""``GET /``: a browser form that calls ``POST /api/v1/predict``."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"

router = APIRouter(include_in_schema=False)


@router.api_route("/", methods=["GET", "HEAD"], response_class=FileResponse)
def index() -> FileResponse:
    """Serve the form (its script is served from ``/static``)."""
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html")
