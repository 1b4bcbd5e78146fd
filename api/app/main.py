"""The application: ``create_app()`` builds it, ``app`` is what uvicorn serves.

Importing this module loads no model: the lifespan loads the trained model's scoring
plan once, when the server starts, into ``app.state.model``, so the first request
does not pay for it and a missing model stops the server at start-up instead of
failing requests. The plan is JSON (the pipeline's learned parameters, checked
against the SHA-256 recorded at training): loading it imports no skops and cannot
run code, and scoring with it runs no pandas pipeline.
The app owns its model: routes get it through a dependency (``app.api.deps``), and
two apps started with different ``trained_dir`` settings serve different models.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from regression_model.predict import load_model

from app import __version__
from app.api import docs
from app.api.errors import validation_error_handler
from app.api.routes import explain, health, predict, ui
from app.core.config import Settings
from app.core.http import BodySizeLimit, SecurityHeaders
from app.core.runtime import tune_for_serving
from app.services.pricing import RowsRejected


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the trained model's scoring plan before the first request, into
    ``app.state``.

    With ``expected_model_sha256`` set (by the release), a plan with another
    SHA-256 raises ``ModelIntegrityError`` naming the file and both hashes, and the
    server does not start. Then the interpreter is tuned for serving
    (:mod:`app.core.runtime`).
    """
    settings: Settings = app.state.settings
    app.state.model = load_model(
        settings.trained_dir, expected_sha256=settings.expected_model_sha256
    )
    tune_for_serving()
    yield


def documented_limits(app: FastAPI, settings: Settings) -> dict[str, Any]:
    """The OpenAPI schema, stating the row limit this app enforces (``maxItems``).

    The request model is declared once, at import; an app created with other
    settings documents its own limit here, so the schema never promises what the
    service refuses.
    """
    if app.openapi_schema is None:
        schema = FastAPI.openapi(app)
        for component in schema.get("components", {}).get("schemas", {}).values():
            inputs = component.get("properties", {}).get("inputs")
            if inputs is not None and "maxItems" in inputs:
                inputs["maxItems"] = settings.max_batch_rows
        app.openapi_schema = schema
    return app.openapi_schema


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service: the API under ``/api/v1``, the form at ``/``, its docs at
    ``/docs`` and ``/redoc``.

    Parameters
    ----------
    settings : Settings, optional
        Defaults to the settings read from the environment.
    """
    settings = settings or Settings()
    app = FastAPI(
        title=settings.project_name,
        version=__version__,
        summary="House sale prices in Ames, Iowa, from the regression_model package.",
        lifespan=lifespan,
        # No redirect for a trailing slash: Starlette would build its Location from
        # the request's Host header, which the client controls.
        redirect_slashes=False,
        # The docs pages are app.api.docs's: Swagger UI and ReDoc from this service's
        # own files, not from a CDN, so they work offline.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.openapi = lambda: documented_limits(app, settings)  # type: ignore[method-assign]
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(RowsRejected, validation_error_handler)
    app.include_router(health.router, prefix=settings.api_v1_prefix)
    app.include_router(predict.router, prefix=settings.api_v1_prefix)
    app.include_router(explain.router, prefix=settings.api_v1_prefix)
    app.include_router(ui.router)
    app.include_router(docs.router)
    app.mount(docs.FILES_URL, docs.docs_files(), name="docs-files")
    app.mount("/static", StaticFiles(directory=ui.STATIC_DIR), name="static")
    # The last added runs first: the size limit sees the stream before anything else.
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app


app = create_app()
