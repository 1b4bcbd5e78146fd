"""What the service tells Prometheus: its counters, histograms and gauges.

Beyond the course: its sequel (testing and monitoring ML deployments) watches a
model with Prometheus and Grafana; this is the same idea, with the names below.
``GET /metrics`` (:mod:`app.api.routes.metrics`) shows them in Prometheus's text
format:

- ``http_requests_total{route,method,status}`` and
  ``http_request_duration_seconds{route,method}``: every request, counted and timed
  by :class:`RequestMetrics`. ``route`` is the route's path template
  (``/api/v1/predict``), never the address as sent, so a client cannot create a new
  series per address; an address no route serves is ``other``;
- ``house_prices_rows_total{outcome}``: rows ``priced``, and rows that got no price
  (``error``: a value the schema refuses, or a price outside the plausible prices);
- ``house_prices_input_warnings_total{kind}``: the package's warnings about the
  input, by kind (``ignored_column``, ``repeated_column``, ``imputed``,
  ``unseen_label``);
- ``house_prices_predicted_price_dollars``: the prices given, as a histogram;
- ``house_prices_model_info{version,plan_sha256}``: 1, for the model served;
- ``house_prices_feature_drift_psi{feature}``: how far the last rows priced are from
  the training data (:mod:`app.services.drift`);
- ``house_prices_prediction_log_lost_rows_total``: rows the prediction log could not
  write (its queue was full or its database failed: :mod:`app.db.log`).

Each app owns a :class:`Metrics` (two apps in one process count apart). With
several worker processes (``python -m app.server --workers N``) each process counts
on its own; the server then sets ``PROMETHEUS_MULTIPROC_DIR`` to a folder where
prometheus-client keeps every process's values, and ``/metrics`` adds them up,
whichever worker answers the scrape.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from starlette.routing import compile_path

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST
# This API answers in about a millisecond for one house and in about a second for
# a batch of a thousand: buckets from half a millisecond to five seconds.
DURATION_BUCKETS = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
)  # fmt: skip
# train.csv's prices run from $34,900 to $755,000; the plausible prices
# (config.yml) from $10,000 to $5,000,000.
PRICE_BUCKETS = (
    10_000, 50_000, 75_000, 100_000, 125_000, 150_000, 175_000, 200_000, 250_000,
    300_000, 400_000, 500_000, 750_000, 1_000_000, 5_000_000,
)  # fmt: skip
OTHER_ROUTE = "other"
# Methods counted by name; any other word a client sends is counted as "other".
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# A warning's kind, from the words it starts with (the package's warnings).
WARNING_KINDS = (
    ("ignored column", "ignored_column"),
    ("column ", "repeated_column"),
    ("input has no column", "imputed"),
    ("labels the training data never had", "unseen_label"),
)


def multiprocess_dir() -> str | None:
    """The folder shared by worker processes, or ``None`` for one process."""
    return os.environ.get(MULTIPROCESS_ENV) or None


class Metrics:
    """The metric objects of one app, and the text ``/metrics`` answers.

    Attributes
    ----------
    registry : CollectorRegistry
        This app's metrics (one process); with several processes, read through a
        ``MultiProcessCollector`` at each scrape instead.
    """

    def __init__(self) -> None:
        # No ``*_created`` series (when each series began): Prometheus does not
        # need them, and they double the text of every scrape.
        disable_created_metrics()
        self.multiprocess = multiprocess_dir() is not None
        self.registry = CollectorRegistry()
        # With several processes the values live in files, not in a registry.
        owner = None if self.multiprocess else self.registry
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=owner,
        )
        self.duration = Histogram(
            "http_request_duration_seconds",
            "Time to answer a request, in seconds, by route template and method.",
            ["route", "method"],
            buckets=DURATION_BUCKETS,
            registry=owner,
        )
        self.rows = Counter(
            "house_prices_rows_total",
            "Rows sent to the model: priced, or given no price (error).",
            ["outcome"],
            registry=owner,
        )
        self.warnings = Counter(
            "house_prices_input_warnings_total",
            "Warnings about the input (ignored column, unseen label, imputed, ...).",
            ["kind"],
            registry=owner,
        )
        self.prices = Histogram(
            "house_prices_predicted_price_dollars",
            "Prices given, in dollars.",
            buckets=PRICE_BUCKETS,
            registry=owner,
        )
        self.model_info = Gauge(
            "house_prices_model_info",
            "1 for the model served: its package version and scoring plan's SHA-256.",
            ["version", "plan_sha256"],
            registry=owner,
            multiprocess_mode="livemax",
        )
        self.prediction_log_lost_rows = Counter(
            "house_prices_prediction_log_lost_rows_total",
            "Rows priced that the prediction log could not write (queue full or "
            "database failed).",
            registry=owner,
        )
        self.drift = Gauge(
            "house_prices_feature_drift_psi",
            "Population stability index of the last rows priced against the "
            "training split, per model feature.",
            ["feature"],
            registry=owner,
            multiprocess_mode="livemostrecent",
        )

    def count_result(self, result: dict[str, Any]) -> None:
        """Count the rows, prices and warnings of one ``make_prediction`` result."""
        prices = [p for p in result["predictions"] if p is not None]
        self.rows.labels("priced").inc(len(prices))
        errors = len(result["predictions"]) - len(prices)
        if errors:
            self.rows.labels("error").inc(errors)
        for value in prices:
            self.prices.observe(value)
        for warning in result["warnings"]:
            self.warnings.labels(warning_kind(warning)).inc()

    def count_refused(self, rows: int) -> None:
        """Count ``rows`` whose input the schema refused (no price: ``error``)."""
        self.rows.labels("error").inc(rows)

    def exposition(self) -> bytes:
        """Every metric in Prometheus's text format (of every worker process)."""
        if not self.multiprocess:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry)


def warning_kind(warning: str) -> str:
    """The kind of one of the package's warnings (``other`` if unknown)."""
    for start, kind in WARNING_KINDS:
        if warning.startswith(start):
            return kind
    if "more notes about ignored or repeated columns" in warning:
        return "ignored_column"
    return "other"


class RouteTemplates:
    """Name a request by the template of the route that serves it, or ``other``.

    Parameters
    ----------
    templates : iterable of str
        Every route's full path template (``/api/v1/predict``).
    mounts : iterable of str
        The paths where a folder of files is mounted (``/static``): a request under
        one is named ``/static/{path}``.
    """

    def __init__(self, templates: Iterable[str], mounts: Iterable[str]) -> None:
        self.exact: dict[str, str] = {}
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        for template in templates:
            if "{" in template:
                self.patterns.append((compile_path(template)[0], template))
            else:
                self.exact[template] = template
        self.mounts = [
            (mount.rstrip("/") + "/", f"{mount}/{{path}}") for mount in mounts
        ]

    def name(self, path: str) -> str:
        """The template ``path`` matches (tried in that order), or ``other``."""
        found = self.exact.get(path)
        if found is not None:
            return found
        for pattern, template in self.patterns:
            if pattern.match(path):
                return template
        for start, template in self.mounts:
            if path.startswith(start):
                return template
        return OTHER_ROUTE


class RequestMetrics:
    """ASGI middleware: count and time every HTTP request, by route template.

    Parameters
    ----------
    app : ASGI app
    metrics : Metrics
    routes : RouteTemplates
        How to name a request (from its path, so that a request answered before
        routing, a body too large, is named too).
    """

    def __init__(self, app: ASGIApp, metrics: Metrics, routes: RouteTemplates) -> None:
        self.app = app
        self.metrics = metrics
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500  # what the client gets if the app fails before answering

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = self.routes.name(scope["path"])
            method = scope["method"] if scope["method"] in METHODS else OTHER_ROUTE
            self.metrics.requests.labels(route, method, str(status)).inc()
            self.metrics.duration.labels(route, method).observe(
                time.perf_counter() - start
            )
