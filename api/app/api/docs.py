"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc), served with their own files.

FastAPI's default docs pages load Swagger UI and ReDoc from a CDN (jsDelivr) and
their icon from fastapi.tiangolo.com, so without a network they are blank. Here the
pages are FastAPI's own (``get_swagger_ui_html``, ``get_redoc_html``), pointed at
copies of those files served by this service under :data:`FILES_URL`: they work on a
laptop offline and behind a firewall that blocks CDNs.

The files come from the ``fastapi-offline`` package (a pinned dependency: its
``static/`` folder holds ``swagger-ui-bundle.js``, ``swagger-ui.css``,
``redoc.standalone.js`` and ``favicon.png``). This module follows FastAPI's recipe
"Self-hosting JavaScript and CSS for docs" rather than the package's
``FastAPIOffline`` factory: the app stays a plain ``FastAPI(...)`` built by
``create_app``, and the three routes below show what the docs pages are.

ReDoc's bundle still asks cdn.redoc.ly for the small logo at the foot of its menu;
offline that request fails, ReDoc hides the logo and the page works without it.

Every URL starts with the ``root_path`` the server was given, as FastAPI's own docs
do, so the pages also work behind a proxy that serves the API under a prefix.
"""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

FILES_URL = "/docs/static"
"""Where Swagger UI's and ReDoc's files are served."""
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
"""Where Swagger UI returns after an OAuth2 login (FastAPI's default)."""

router = APIRouter(include_in_schema=False)


def docs_files() -> StaticFiles:
    """The folder of Swagger UI's and ReDoc's files, as an app to mount.

    ``importlib.resources`` finds the folder inside the installed package, wherever
    it was installed; nothing is copied into this repository.
    """
    folder = files("fastapi_offline") / "static"
    return StaticFiles(directory=str(folder))


def root(request: Request) -> str:
    """The prefix the server was started with (``--root-path``), or ``""``."""
    return str(request.scope.get("root_path", "")).rstrip("/")


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI: every route, with its schema and a "Try it out" button."""
    app, prefix = request.app, root(request)
    return get_swagger_ui_html(
        openapi_url=prefix + app.openapi_url,
        title=f"{app.title} - Swagger UI",
        oauth2_redirect_url=prefix + OAUTH2_REDIRECT_URL,
        swagger_js_url=f"{prefix}{FILES_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{prefix}{FILES_URL}/swagger-ui.css",
        swagger_favicon_url=f"{prefix}{FILES_URL}/favicon.png",
        swagger_ui_parameters=app.swagger_ui_parameters,
    )


@router.get(OAUTH2_REDIRECT_URL)
async def swagger_ui_redirect() -> HTMLResponse:
    """The page Swagger UI returns to after an OAuth2 login (FastAPI's own)."""
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    """ReDoc: the same schema as one long, readable page."""
    app, prefix = request.app, root(request)
    return get_redoc_html(
        openapi_url=prefix + app.openapi_url,
        title=f"{app.title} - ReDoc",
        redoc_js_url=f"{prefix}{FILES_URL}/redoc.standalone.js",
        redoc_favicon_url=f"{prefix}{FILES_URL}/favicon.png",
        with_google_fonts=False,
    )
