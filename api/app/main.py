"""The application: ``create_app()`` builds it, ``app`` is what uvicorn serves.

Importing this module loads no model: the lifespan loads the trained model's scoring
plan once, when the server starts, into ``app.state.model``, so the first request
does not pay for it and a missing model stops the server at start-up instead of
failing requests. The plan is JSON (the pipeline's learned parameters, checked
against the SHA-256 recorded at training): loading it imports no skops and cannot
run code, and scoring with it runs no pandas pipeline.
The app owns its model: routes get it through a dependency (``app.api.deps``), and
two apps started with different ``trained_dir`` settings serve different models.
It owns its metrics too (``app.state.metrics``, served at ``GET /metrics``; off with
``metrics_enabled=False``): the lifespan records which model it serves and starts
the drift window on the model's training reference.
With ``prediction_log_enabled`` (default), the lifespan also migrates the
prediction log's database and starts its writer (``app.state.prediction_log``,
:mod:`app.db.log`); at shutdown the writer writes what it still holds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from regression_model.predict import load_model
from regression_model.processing.data_manager import load_metadata
from regression_model.serving.plan import ScoringPlan

from app import __version__
from app.api import docs
from app.api.errors import validation_error_handler
from app.api.routes import explain, health, metrics, predict, ui
from app.core.config import Settings
from app.core.http import BodySizeLimit, SecurityHeaders
from app.core.metrics import Metrics, RequestMetrics, RouteTemplates
from app.core.runtime import tune_for_serving
from app.db.log import PredictionLog
from app.db.migrate import upgrade
from app.services.drift import drift_window
from app.services.pricing import RowsRejected, watch
from app.services.shadow import shadow_model

logger = logging.getLogger(__name__)

# The API's routers, under ``api_v1_prefix``, and the pages at the root.
API_ROUTERS = (health.router, predict.router, explain.router)
ROOT_ROUTERS = (ui.router, docs.router)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the trained model's scoring plan before the first request, into
    ``app.state``.

    With ``expected_model_sha256`` set (by the release), a plan with another
    SHA-256 raises ``ModelIntegrityError`` naming the file and both hashes, and the
    server does not start. With metrics on, ``house_prices_model_info`` names the
    model and its prices are watched (:func:`watch_model`). Then the interpreter is
    tuned for serving (:mod:`app.core.runtime`).
    """
    settings: Settings = app.state.settings
    app.state.model = load_model(
        settings.trained_dir, expected_sha256=settings.expected_model_sha256
    )
    if settings.metrics_enabled:
        watch_model(app.state.model, app.state.metrics, settings)
    app.state.prediction_log = prediction_log(app, settings)
    tune_for_serving()
    try:
        with shadow_model(settings, app.state.prediction_log) as app.state.shadow:
            yield
    finally:
        if app.state.prediction_log is not None:
            await asyncio.to_thread(app.state.prediction_log.stop)


def prediction_log(app: FastAPI, settings: Settings) -> PredictionLog | None:
    """The app's prediction log, its database migrated and its writer started
    (``None`` with ``prediction_log_enabled=False``).

    A database that cannot be migrated yet (down, or its folder read-only) does not
    stop the server: that is logged, and tried again before each batch. The
    log's lost rows count in ``house_prices_prediction_log_lost_rows_total``.
    """
    if not settings.prediction_log_enabled:
        return None
    app.state.plan_sha256 = (
        load_metadata(settings.trained_dir)["plan_sha256"]
        if isinstance(app.state.model, ScoringPlan)
        else None  # a stand-in model (tests): no files behind it
    )
    if settings.prediction_log_url is None:
        try:
            settings.prediction_log_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:  # counted as lost rows until the folder exists
            logger.error("prediction log: no folder for its file: %s", error)
    found = getattr(app.state, "metrics", None)
    log = PredictionLog(
        settings.prediction_log_database(),
        queue_rows=settings.prediction_log_queue_rows,
        prepare=upgrade,
        on_lost=None if found is None else found.prediction_log_lost_rows.inc,
    )
    log.start()
    return log


def watch_model(model: Any, found: Metrics, settings: Settings) -> None:
    """Name the model served in ``house_prices_model_info`` (from its metadata) and
    count the prices of its scoring plan, with a drift window on its training
    reference if it has one."""
    if not isinstance(model, ScoringPlan):
        return  # only a scoring plan is served (a stand-in in tests): nothing to watch
    metadata = load_metadata(settings.trained_dir)
    found.model_info.labels(metadata["version"], metadata["plan_sha256"]).set(1)
    window = drift_window(
        settings.trained_dir,
        found.drift,
        settings.drift_window_rows,
        settings.drift_refresh_seconds,
    )
    watch(model, found, window)


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
    for router in API_ROUTERS:
        app.include_router(router, prefix=settings.api_v1_prefix)
    for router in ROOT_ROUTERS:
        app.include_router(router)
    app.mount(docs.FILES_URL, docs.docs_files(), name="docs-files")
    app.mount("/static", StaticFiles(directory=ui.STATIC_DIR), name="static")
    # The last added runs first: the size limit sees the stream before anything else
    # but the metrics, which count every answer (a 413 too).
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    if settings.metrics_enabled:
        app.state.metrics = Metrics()
        app.include_router(metrics.router)
        app.add_middleware(
            RequestMetrics, metrics=app.state.metrics, routes=route_templates(app)
        )
    return app


def route_templates(app: FastAPI) -> RouteTemplates:
    """The path template of every route and mount of the app, as the metrics name
    requests (a request to any other path is ``other``)."""
    prefix = app.state.settings.api_v1_prefix
    templates = [prefix + r.path for router in API_ROUTERS for r in router.routes]
    templates += [
        r.path for router in (*ROOT_ROUTERS, metrics.router) for r in router.routes
    ]
    if app.openapi_url:
        templates.append(app.openapi_url)
    return RouteTemplates(templates, mounts=[docs.FILES_URL, "/static"])


app = create_app()
