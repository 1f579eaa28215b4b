"""FastAPI application: an HTML form and a JSON API over the library.

Routes only parse input, call the library and pick a renderer; everything else lives in the library.
No request field is ever read as a server path: templates arrive as text (or an uploaded file's
content), and every error leaves in the one JSON shape of :class:`~cloudwright.web.schemas.ErrorBody`.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Body, FastAPI, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from cloudwright.errors import CloudwrightError, InputError
from cloudwright.requirements import Requirements, requirements_from_mapping
from cloudwright.web.schemas import ERROR_RESPONSES, EstimateBody, ReviewBody
from cloudwright.web.security import TOKEN_COOKIE, Guard, Settings
from cloudwright.web.store import Store

log = logging.getLogger("cloudwright.web")

STATIC_DIR = Path(__file__).resolve().parent / "static"


def _error_payload(exc: CloudwrightError) -> dict[str, Any]:
    payload: dict[str, Any] = {"error": str(exc)}
    if isinstance(exc, InputError):
        payload.update(field=exc.field, allowed=exc.allowed)
        if exc.problems:
            payload["problems"] = [
                {"field": p.field, "message": p.line(), "allowed": p.allowed} for p in exc.problems
            ]
    return payload


def _form_fields() -> list[dict[str, Any]]:
    """The requirements form, generated from the model so it never drifts from it."""
    from enum import Enum

    fields = []
    for name, info in Requirements.model_fields.items():
        default = info.default
        choices: list[str] = []
        multiple = False
        ann = info.annotation
        for cand in (ann, *getattr(ann, "__args__", ())):
            if isinstance(cand, type) and issubclass(cand, Enum):
                choices = [str(e.value) for e in cand]
        if isinstance(default, tuple):
            multiple = True
            default = [getattr(d, "value", d) for d in default]
        else:
            default = getattr(default, "value", default)
        fields.append(
            {
                "name": name,
                "default": default,
                "choices": choices,
                "multiple": multiple,
                "help": info.description or "",
            }
        )
    return fields


def template_design(text: str, settings: Settings) -> Any:
    """Import a template given as *text*. The text is never interpreted as a file name."""
    from cloudwright.design.cfn_import import import_template

    if len(text.encode("utf-8")) > settings.max_template_bytes:
        raise _TooLarge(settings.max_template_bytes)
    # The importer treats a one-line string as a path; a template is text, so make sure it reads
    # as text (a trailing newline does not change a YAML or JSON document).
    if "\n" not in text:
        text += "\n"
    return import_template(text, name="template")


class _TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def _json_error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **{k: v for k, v in extra.items() if v is not None}}, status)


def create_app(
    database_url: str | None = None,
    *,
    settings: Settings | None = None,
) -> FastAPI:
    """The ASGI app. ``database_url`` is checked now: a bad URL raises :class:`InputError`."""
    settings = settings or Settings()
    store = Store(database_url)

    app = FastAPI(
        title="cloudwright",
        version="0.1.0",
        description=(
            "AWS architecture design, pricing and review. Every error is one JSON object "
            "`{error, field, allowed, problems}`."
        ),
        docs_url=None,
        redoc_url=None,
    )
    api = APIRouter(responses=ERROR_RESPONSES)

    @app.exception_handler(CloudwrightError)
    async def _handle(_: Request, exc: CloudwrightError) -> JSONResponse:
        from cloudwright.errors import TemplateError

        payload = _error_payload(exc)
        if isinstance(exc, TemplateError):
            payload["field"] = "template"
        status = 422 if isinstance(exc, InputError | TemplateError) else 400
        return JSONResponse(payload, status_code=status)

    @app.exception_handler(_TooLarge)
    async def _too_large(_: Request, exc: _TooLarge) -> JSONResponse:
        return _json_error(
            413,
            f"the template is larger than {exc.limit:,} bytes",
            field="template",
            allowed=f"≤ {exc.limit} bytes",
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
            problems.append({"field": ".".join(loc) or None, "message": str(err.get("msg", "invalid"))})
        first = problems[0] if problems else {"field": None, "message": "invalid request"}
        where = f"{first['field']}: " if first["field"] else ""
        return _json_error(422, f"{where}{first['message']}", field=first["field"], problems=problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _json_error(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _bug(_: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error")
        return _json_error(500, "internal error; the server log has the details")

    # ---------------------------------------------------------------- static + docs (all local)
    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        return _static_file(name)

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        return _vendor_file(name)

    @app.get("/login", include_in_schema=False)
    def login(token: str = "") -> Response:
        import hmac

        if not settings.token or not hmac.compare_digest(token, settings.token):
            return _json_error(401, "wrong or missing token", field="token")
        resp = Response(status_code=303, headers={"Location": "/"})
        resp.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return resp

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> str:
        return (
            "<!doctype html><html><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>cloudwright API</title>"
            "<link rel='stylesheet' href='/static/vendor/swagger-ui.css'></head>"
            "<body><div id='swagger-ui'></div>"
            "<script src='/static/vendor/swagger-ui-bundle.js'></script>"
            "<script src='/static/swagger-init.js'></script></body></html>"
        )

    @app.get("/redoc", include_in_schema=False, response_class=HTMLResponse)
    def redoc() -> str:
        return (
            "<!doctype html><html><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>cloudwright API</title></head>"
            "<body><redoc spec-url='/openapi.json'></redoc>"
            "<script src='/static/vendor/redoc.standalone.js'></script></body></html>"
        )

    # ---------------------------------------------------------------- HTML
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def form() -> str:
        rows = []
        for f in _form_fields():
            label = html.escape(f["name"])
            help_ = html.escape(f["help"])
            if f["choices"] and f["multiple"]:
                opts = "".join(
                    f'<label><input type="checkbox" name="{label}" value="{html.escape(c)}"'
                    f"{' checked' if c in f['default'] else ''}> {html.escape(c)}</label> "
                    for c in f["choices"]
                )
                control = opts
            elif f["choices"]:
                opts = "".join(
                    f"<option{' selected' if c == f['default'] else ''}>{html.escape(c)}</option>"
                    for c in f["choices"]
                )
                control = f'<select name="{label}">{opts}</select>'
            else:
                control = f'<input name="{label}" value="{html.escape(str(f["default"]))}">'
            rows.append(f"<tr><th>{label}</th><td>{control}</td><td>{help_}</td></tr>")
        env_opts = "".join(
            f"<option{' selected' if e == 'prod' else ''}>{e}</option>" for e in ("dev", "staging", "prod")
        )
        return (
            "<!doctype html><html><head><meta charset='utf-8'><title>cloudwright</title>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}"
            "th{text-align:left;padding-right:1rem}td{padding:.2rem .5rem}</style></head><body>"
            "<h1>cloudwright</h1><p>Describe the application; get a priced, reviewed AWS design.</p>"
            "<form method='post' action='/design'><table>" + "".join(rows) + "</table>"
            f"<p>Environment <select name='environment'>{env_opts}</select> "
            "<button type='submit'>Design</button></p></form>"
            "<p>JSON API: <code>POST /api/design</code>, <code>POST /api/estimate</code>, "
            "<code>POST /api/review</code>, <code>GET /api/patterns</code>; "
            "see <a href='/docs'>/docs</a>.</p>"
            "</body></html>"
        )

    @app.post("/design", response_class=HTMLResponse, include_in_schema=False)
    async def design_form(request: Request, environment: str = Form("prod")) -> Response:
        form_data = await request.form()
        data: dict[str, Any] = {}
        multi = {f["name"] for f in _form_fields() if f["multiple"]}
        for key in form_data:
            if key == "environment":
                continue
            values = [v for v in form_data.getlist(key) if isinstance(v, str)]
            if key in multi:
                data[key] = values
            elif values and values[0] != "":
                data[key] = values[0]
        try:
            req = requirements_from_mapping(data)
            result = _run(req, environment)
        except CloudwrightError as exc:
            return HTMLResponse(
                f"<p>error: {html.escape(str(exc))}</p><p><a href='/'>back</a></p>", status_code=422
            )
        return HTMLResponse(_render(result, "html"))

    # ---------------------------------------------------------------- JSON API
    @api.get("/api/patterns")
    def patterns() -> list[dict[str, Any]]:
        from cloudwright.patterns.catalog import load_patterns

        return [{"id": p.id, "name": p.name, "summary": p.summary} for p in load_patterns().values()]

    @api.post("/api/design", response_model=None)
    def design(
        requirements: dict[str, Any] = Body(...),
        environment: str = "prod",
        pattern: str | None = None,
        format: str = Query("json", pattern="^(json|html|markdown)$"),
        save: bool = False,
    ) -> Response | dict[str, Any]:
        req = requirements_from_mapping(requirements)
        result = _run(req, environment, pattern)
        payload = result.to_dict()
        design_id = store.save(payload) if save else None
        if format != "json":
            media = {"html": "text/html", "markdown": "text/markdown"}[format]
            headers = {"X-Design-Id": design_id} if design_id else None
            return PlainTextResponse(_render(result, format), media_type=media, headers=headers)
        if design_id:
            payload = {**payload, "id": design_id}
        return payload

    @api.get("/api/designs")
    def designs() -> list[dict[str, str]]:
        return store.list()

    @api.get("/api/designs/{design_id}", response_model=None)
    def saved(design_id: str) -> dict[str, Any] | JSONResponse:
        found = store.get(design_id)
        if found is None:
            return _json_error(404, "no saved design with this id", field="design_id")
        return found

    @api.post("/api/estimate")
    def estimate(body: EstimateBody) -> dict[str, Any]:
        from cloudwright.pricing.engine import PricingOptions, price_design

        design = template_design(body.template, settings)
        est = price_design(design, PricingOptions(free_tier=body.free_tier, usage=body.usage))
        return est.to_dict()

    @api.post("/api/review")
    def review(body: ReviewBody) -> dict[str, Any]:
        from cloudwright.review.engine import review_design

        design = template_design(body.template, settings)
        return review_design(design, compliance=body.compliance).to_dict()

    app.include_router(api)
    app.state.store = store
    app.state.settings = settings
    app.add_middleware(Guard, settings=settings)
    return app


def _static_file(name: str) -> Response:
    files = {p.name: p for p in STATIC_DIR.iterdir() if p.is_file()} if STATIC_DIR.is_dir() else {}
    path = files.get(name)
    if path is None:
        return _json_error(404, "no such static file")
    return FileResponse(path)


_VENDOR = ("swagger-ui.css", "swagger-ui-bundle.js", "redoc.standalone.js")


def _vendor_file(name: str) -> Response:
    if name not in _VENDOR:
        return _json_error(404, "no such static file")
    import fastapi_offline

    return FileResponse(Path(fastapi_offline.__file__).resolve().parent / "static" / name)


def _run(req: Requirements, environment: str, pattern: str | None = None) -> Any:
    from cloudwright.pipeline import run_design

    return run_design(req, environment=environment, pattern_id=pattern)


def _render(result: Any, fmt: str) -> str:
    from cloudwright.render import render_report

    out = render_report(result, fmt)
    return out.decode() if isinstance(out, bytes) else out
