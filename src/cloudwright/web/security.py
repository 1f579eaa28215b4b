"""The web server's guard rails, as plain ASGI middleware (no request reaches a route without them).

- :class:`Guard` checks the Host header against an allow-list (DNS-rebinding defence), an optional
  bearer token, the request-body size (413) and, for JSON bodies, that every number is finite (422:
  ``NaN``, ``Infinity`` and overflowing literals such as ``1e999`` are refused before any route runs).
- Every response gets the security headers: a Content-Security-Policy with no inline script,
  ``X-Content-Type-Options: nosniff`` and ``frame-ancestors 'none'``.

State-changing requests that a browser marks as coming from another site (``Sec-Fetch-Site:
cross-site`` or a foreign ``Origin``) are refused with 403, so a web page cannot drive the API
through a visitor's browser.

Errors leave in the one JSON shape of :class:`cloudwright.web.schemas.ErrorBody`.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Host names accepted when none are configured: the loopback names only.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
#: Default largest request body, bytes (a template of up to MAX_TEMPLATE_BYTES plus its JSON framing).
MAX_BODY_BYTES = 2 * 1024 * 1024
#: Default largest CloudFormation template accepted by /api/estimate and /api/review, bytes.
MAX_TEMPLATE_BYTES = 1024 * 1024
#: Cookie that carries the token for browser sessions (set by ``/login?token=…``).
TOKEN_COOKIE = "cloudwright_token"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


@dataclass(frozen=True)
class Settings:
    """What an operator can configure (``cloudwright serve`` options or environment variables)."""

    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    token: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    max_template_bytes: int = MAX_TEMPLATE_BYTES
    #: Paths that never need the token (the static assets the login page itself uses).
    open_paths: tuple[str, ...] = field(default=("/static/", "/login", "/favicon.ico"))


class _NonFinite(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NonFinite(f"{name} is not a JSON number; send a finite number")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _NonFinite(f"{text[:40]} is too large for a number; send a finite number")
    return value


def strict_json_loads(data: bytes | str) -> Any:
    """``json.loads`` that refuses NaN, Infinity and numbers that overflow to infinity."""
    return json.loads(data, parse_constant=_reject_constant, parse_float=_finite_float)


def _host_name(raw: str) -> str:
    raw = raw.strip().lower()
    if raw.startswith("["):  # [::1]:8000
        return raw.split("]", 1)[0] + "]"
    return raw.rsplit(":", 1)[0] if raw.count(":") == 1 else raw


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    name = _host_name(host)
    for pattern in allowed:
        p = pattern.lower()
        if p == "*" or p == name or (p.startswith("*.") and name.endswith(p[1:])):
            return True
    return False


async def _send_error(send: Send, status: int, message: str, **extra: Any) -> None:
    body = json.dumps({"error": message, **extra}, sort_keys=True).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS,
    ]
    if status == 401:
        headers.append((b"www-authenticate", b'Bearer realm="cloudwright"'))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """Host allow-list, token, body size and strict-JSON checks, then security headers on the way out."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        s = self.settings
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "")
        if not host_allowed(host, s.allowed_hosts):
            await _send_error(
                send,
                400,
                "the Host header is not one this server answers to; start it with --allowed-host NAME",
                field="Host",
            )
            return
        path: str = scope.get("path", "")
        if s.token and not any(path.startswith(p) for p in s.open_paths) and not self._authorised(headers):
            await _send_error(
                send,
                401,
                "this server needs a token: send 'Authorization: Bearer TOKEN' or open /login?token=TOKEN",
            )
            return

        method = scope.get("method", "GET")
        if method not in ("GET", "HEAD", "OPTIONS") and self._cross_site(headers, host):
            await _send_error(
                send, 403, "cross-site request refused: the Origin is not this server", field="Origin"
            )
            return

        declared = headers.get("content-length")
        if declared is not None:
            try:
                too_big = int(declared) > s.max_body_bytes
            except ValueError:
                await _send_error(send, 400, "Content-Length is not a number", field="Content-Length")
                return
            if too_big:
                await self._too_large(send)
                return

        if method in ("POST", "PUT", "PATCH"):
            chunks: list[bytes] = []
            size = 0
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > s.max_body_bytes:
                    await self._too_large(send)
                    return
                chunks.append(chunk)
                more = bool(message.get("more_body", False))
            body = b"".join(chunks)
            ctype = headers.get("content-type", "")
            # FastAPI parses a body without a Content-Type as JSON too, so that is checked as well
            if ("json" in ctype or not ctype.strip()) and body.strip():
                try:
                    strict_json_loads(body)
                except _NonFinite as exc:
                    await _send_error(send, 422, f"invalid JSON number: {exc}")
                    return
                except (ValueError, RecursionError):
                    await _send_error(send, 422, "the request body is not valid JSON")
                    return
            sent = False

            async def replay() -> Message:
                nonlocal sent
                if not sent:
                    sent = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, self._with_headers(send))
            return
        await self.app(scope, receive, self._with_headers(send))

    @staticmethod
    def _cross_site(headers: dict[str, str], host: str) -> bool:
        """A state-changing request sent by another site's page (CSRF), judged by the browser's own
        Sec-Fetch-Site and Origin headers; clients that send neither (curl, scripts) pass."""
        fetch_site = headers.get("sec-fetch-site", "")
        if fetch_site in ("same-origin", "none"):
            return False
        if fetch_site in ("cross-site", "same-site"):
            return True
        origin = headers.get("origin")
        if origin is None:
            return False
        if origin == "null":
            return True
        netloc = origin.split("://", 1)[-1].rstrip("/")
        return netloc.lower() != host.strip().lower()

    def _authorised(self, headers: dict[str, str]) -> bool:
        token = self.settings.token or ""
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer ") and hmac.compare_digest(auth[7:].strip(), token):
            return True
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == TOKEN_COOKIE and hmac.compare_digest(value, token):
                return True
        return False

    async def _too_large(self, send: Send) -> None:
        limit = self.settings.max_body_bytes
        await _send_error(
            send,
            413,
            f"the request body is larger than {limit:,} bytes; send a smaller template or requirements",
            field="body",
            allowed=f"≤ {limit} bytes",
        )

    @staticmethod
    def _with_headers(send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                existing = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in existing]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        return wrapped
