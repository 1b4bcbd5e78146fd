"""``GET /metrics``: the service's metrics, in Prometheus's text format.

Beyond the course (its sequel scrapes a model service with Prometheus). What each
metric means is in :mod:`app.core.metrics`. The route sits at the root, where
Prometheus looks by default, outside ``/api/v1``: it is for the operator's
Prometheus, not for clients, so the OpenAPI page does not list it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from app.core.metrics import CONTENT_TYPE, Metrics

router = APIRouter(tags=["metrics"])


@router.get("/metrics", include_in_schema=False)
async def metrics(request: Request) -> Response:
    """Every metric of this app (of every worker process, with ``--workers N``).

    ``async``: written on the event loop in about a millisecond, so a scrape is
    answered even while the thread pool prices a batch.
    """
    found: Metrics = request.app.state.metrics
    return Response(found.exposition(), media_type=CONTENT_TYPE)
