"""HTTP hygiene around the application: limits before work, security headers.

Both are plain ASGI middleware, so they act on the byte stream before FastAPI reads,
parses or validates anything:

- :class:`BodySizeLimit` answers ``413 Content Too Large`` as soon as a request's
  body is known to be too large: at once from its ``Content-Length``, or while it
  streams in (a chunked body), so an oversized body is never held in memory whole;
- :class:`SecurityHeaders` adds headers that tell a browser not to guess content
  types, not to leak the page's address, and (on the form and its files) to run no
  inline script and load nothing from another origin.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The form and its script: everything from this origin, nothing inline, no frames.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# The docs pages (app.api.docs) load Swagger UI and ReDoc from this service, but
# Swagger UI starts from an inline script FastAPI writes and ReDoc styles the page
# inline: the form's CSP would blank them, so they get none.
DOCS_PATHS = ("/docs", "/redoc")


class BodyTooLarge(Exception):
    """The request body grew past the limit while it streamed in."""


class BodySizeLimit:
    """Refuse a request body larger than ``max_bytes`` with 413, before parsing it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit():
            if int(declared) > self.max_bytes:
                await self.refuse(send)
                return
        received = 0
        too_large = False
        answered = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    too_large = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # Whatever the app answers to a body it could not finish reading (FastAPI
            # says 400), the client is told the truth: 413.
            nonlocal answered
            if too_large:
                if not answered:
                    answered = True
                    await self.refuse(send)
                return
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            if not answered:
                answered = True
                await self.refuse(send)

    async def refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "detail": f"the request body is larger than the {self.max_bytes} "
                "bytes this service accepts; split the batch"
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """Add ``X-Content-Type-Options``, ``Referrer-Policy`` and (off the docs) a CSP."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_csp = not str(scope.get("path", "")).startswith(DOCS_PATHS)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                if with_csp:
                    policy = CONTENT_SECURITY_POLICY.encode()
                    headers.append((b"content-security-policy", policy))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
