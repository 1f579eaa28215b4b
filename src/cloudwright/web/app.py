"""FastAPI application: the workspace UI and the JSON API over the library.

Routes only parse input, call the library (through :mod:`cloudwright.web.workspace`) and pick a
renderer. No request field is ever read as a server path: templates arrive as text (the browser
reads a chosen file and sends its content), and every error leaves in the one JSON shape of
:class:`~cloudwright.web.schemas.ErrorBody`.
"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, File, Form, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from cloudwright.errors import CloudwrightError, InputError
from cloudwright.requirements import requirements_from_mapping
from cloudwright.web import schemas as S
from cloudwright.web.schemas import ERROR_RESPONSES
from cloudwright.web.security import TOKEN_COOKIE, Guard, Settings
from cloudwright.web.store import NotFound, Store

log = logging.getLogger("cloudwright.web")

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
TEMPLATES_DIR = HERE / "templates"
#: Files served inline (shown in the browser) when ``?inline=1``; everything else downloads.
INLINE_OK = {"report.html", "diagram.svg", "diagram.png"}

DesignId = Annotated[int, PathParam(ge=1, le=2**31 - 1, description="Design id.")]
VersionNo = Annotated[int, PathParam(ge=1, le=2**31 - 1, description="Version number (1, 2, …).")]


class _TooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def _error_payload(exc: CloudwrightError) -> dict[str, Any]:
    from cloudwright.errors import TemplateError

    payload: dict[str, Any] = {"error": str(exc)}
    if isinstance(exc, InputError):
        allowed = exc.allowed
        payload.update(field=exc.field, allowed=list(allowed) if isinstance(allowed, tuple) else allowed)
        if exc.problems:
            payload["problems"] = [
                {"field": p.field, "message": p.line(), "allowed": p.allowed} for p in exc.problems
            ]
    if isinstance(exc, TemplateError):
        payload["field"] = "template"
    return payload


def _json_error(status: int, message: str, **extra: Any) -> JSONResponse:
    body = {"error": message, **{k: v for k, v in extra.items() if v is not None}}
    return JSONResponse(body, status_code=status)


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


def _money(value: Any) -> str:
    """A dollar amount as every surface prints it (``$1,234.50``, ``-$0.20``); ``—`` when absent."""
    from cloudwright.units import usd

    if value is None or value == "":
        return "—"
    return usd(value)


def _signed_money(value: Any) -> str:
    from cloudwright.units import signed_usd

    if value is None or value == "":
        return "—"
    return signed_usd(value)


def _num(value: float) -> str:
    """A limit for people: 10000000000 → 10,000,000,000; 99.999 stays."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"


def create_app(database_url: str | None = None, *, settings: Settings | None = None) -> FastAPI:
    """The ASGI app. ``database_url`` is checked now: a bad URL raises :class:`InputError`."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from cloudwright import units as U
    from cloudwright.web import form as F
    from cloudwright.web import workspace as W

    settings = settings or Settings()
    store = Store(database_url)
    jinja = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=select_autoescape(default=True)
    )
    jinja.globals["money"] = _money
    jinja.globals["signed_money"] = _signed_money
    jinja.globals["quantity"] = U.quantity
    jinja.globals["unit_price"] = U.unit_price
    jinja.globals["line_cost"] = U.line_cost
    jinja.globals["num"] = _num
    #: The form lists production first (the default).
    jinja.globals["environments"] = tuple(reversed(U.ENVIRONMENTS))

    def page(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        return HTMLResponse(jinja.get_template(name).render(**ctx), status_code=status)

    app = FastAPI(
        title="cloudwright",
        version="0.1.0",
        description=(
            "AWS architecture design, pricing and review, with a workspace of saved, versioned designs. "
            "Every error is one JSON object `{error, field, allowed, problems}` (schema `ErrorBody`)."
        ),
        docs_url=None,
        redoc_url=None,
    )
    api = APIRouter(prefix="/api", responses=ERROR_RESPONSES)

    # ---------------------------------------------------------------- errors: one JSON shape
    @app.exception_handler(CloudwrightError)
    async def _handle(_: Request, exc: CloudwrightError) -> JSONResponse:
        from cloudwright.errors import TemplateError

        status = 422 if isinstance(exc, InputError | TemplateError) else 400
        return JSONResponse(_error_payload(exc), status_code=status)

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return _json_error(404, str(exc))

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
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        resp = _json_error(exc.status_code, str(exc.detail))
        resp.headers.update(exc.headers or {})
        if exc.status_code == 405:  # Allow lists the methods of every route on this path
            from starlette.routing import Route

            methods: set[str] = set()
            for route in app.routes:
                if isinstance(route, Route) and route.methods and route.path_regex.match(request.url.path):
                    methods |= route.methods
            resp.headers["Allow"] = ", ".join(sorted(methods))
        return resp

    @app.exception_handler(Exception)
    async def _bug(_: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error")
        return _json_error(500, "internal error; the server log has the details")

    # ---------------------------------------------------------------- static + docs (all local)
    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        files = {p.name: p for p in STATIC_DIR.iterdir() if p.is_file()}
        path = files.get(name)
        if path is None:
            return _json_error(404, "no such static file")
        return FileResponse(path, headers={"Cache-Control": "no-cache"})

    @app.get("/static/vendor/{name}", include_in_schema=False)
    def vendor(name: str) -> Response:
        if name not in ("swagger-ui.css", "swagger-ui-bundle.js", "redoc.standalone.js", "favicon.png"):
            return _json_error(404, "no such static file")
        import fastapi_offline

        return FileResponse(Path(fastapi_offline.__file__).resolve().parent / "static" / name)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse("/static/vendor/favicon.png", status_code=308)

    @app.get("/login", include_in_schema=False)
    def login(token: str = "") -> Response:
        if not settings.token or not hmac.compare_digest(token, settings.token):
            return _json_error(401, "wrong or missing token", field="token")
        resp = Response(status_code=303, headers={"Location": "/"})
        resp.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return resp

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> str:
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
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
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            "<title>cloudwright API</title></head>"
            "<body><redoc spec-url='/openapi.json'></redoc>"
            "<script src='/static/vendor/redoc.standalone.js'></script></body></html>"
        )

    # ---------------------------------------------------------------- HTML pages
    def _form_page(
        *, values: dict[str, Any] | None = None, environment: str = "prod", error: str = "", **ctx: Any
    ) -> HTMLResponse:
        return page(
            "form.html",
            status=422 if error else 200,
            sections=F.sections(values),
            environment=environment,
            error=error,
            **ctx,
        )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def new_form() -> HTMLResponse:
        return _form_page()

    @app.post("/design", include_in_schema=False)
    async def design_form(request: Request) -> Response:
        items = [(k, v) for k, v in (await request.form()).multi_items() if isinstance(v, str)]
        data, extra = F.parse_form(items)
        environment = extra.get("environment", "prod")
        try:
            new = W.new_version(data, environment, note="created in the web UI")
        except CloudwrightError as exc:
            return _form_page(values=data, environment=environment, error=str(exc))
        design_id, number = store.create(str(new.requirements.get("name", "design")), environment, new)
        return RedirectResponse(f"/designs/{design_id}/versions/{number}", status_code=303)

    @app.get("/designs", response_class=HTMLResponse, include_in_schema=False)
    def workspace_page() -> HTMLResponse:
        return page("workspace.html", designs=store.list())

    @app.get("/designs/{design_id}", include_in_schema=False)
    def latest_page(design_id: DesignId) -> Response:
        d = store.design(design_id)
        return RedirectResponse(f"/designs/{design_id}/versions/{d['versions'][-1]['number']}", 303)

    @app.get("/designs/{design_id}/versions/{number}", response_class=HTMLResponse, include_in_schema=False)
    def version_page(design_id: DesignId, number: VersionNo) -> HTMLResponse:
        return page(
            "version.html",
            design=store.design(design_id),
            version=store.version(design_id, number),
            fields=F.form_fields(),
        )

    def _edit_ctx(design_id: int, number: int) -> dict[str, Any]:
        version = store.version(design_id, number)
        usage_resources = [r for r in version["result"]["resources"] if r.get("usage")]
        keys = sorted({k for r in usage_resources for k in r["usage"]})
        return {
            "design": store.design(design_id),
            "version": version,
            "usage": version["usage"],
            "usage_resources": usage_resources,
            "usage_keys": keys,
        }

    @app.get("/designs/{design_id}/edit", response_class=HTMLResponse, include_in_schema=False)
    def edit_page(design_id: DesignId, from_: int | None = Query(None, alias="from", ge=1)) -> HTMLResponse:
        d = store.design(design_id)
        number = from_ or d["versions"][-1]["number"]
        ctx = _edit_ctx(design_id, number)
        return _form_page(values=ctx["version"]["requirements"], environment=d["environment"], **ctx)

    @app.post("/designs/{design_id}/edit", include_in_schema=False)
    async def edit_submit(design_id: DesignId, request: Request) -> Response:
        d = store.design(design_id)
        items = [(k, v) for k, v in (await request.form()).multi_items() if isinstance(v, str)]
        data, extra = F.parse_form(items)
        latest = d["versions"][-1]["number"]
        usage = dict(store.version(design_id, latest)["usage"])
        environment = extra.get("environment", d["environment"])
        try:
            lid, key, raw = (extra.get(k, "").strip() for k in ("usage_resource", "usage_key", "usage_value"))
            note = "edited in the web UI"
            if lid or key or raw:
                if not (lid and key and raw):
                    raise InputError(
                        "a usage override needs the resource, the key and the value", field="usage"
                    )
                try:
                    value = float(raw)
                except ValueError:
                    raise InputError("not a number", field=f"usage.{lid}.{key}", value=raw) from None
                if not (0 <= value < 1e18):
                    raise InputError(
                        "out of range", field=f"usage.{lid}.{key}", value=raw, allowed="0 … 1e18"
                    )
                usage[lid] = {**usage.get(lid, {}), key: int(value) if value.is_integer() else value}
                note = f"usage {lid}.{key} = {raw}"
            new = W.new_version(data, environment, usage=usage, note=note)
        except CloudwrightError as exc:
            ctx = _edit_ctx(design_id, latest)
            return _form_page(values=data, environment=environment, error=str(exc), **ctx)
        number = store.add_version(design_id, new)
        return RedirectResponse(f"/designs/{design_id}/versions/{number}", status_code=303)

    @app.post("/designs/{design_id}/rename", include_in_schema=False)
    async def rename_submit(design_id: DesignId, request: Request) -> Response:
        name = str((await request.form()).get("name") or "").strip()
        if not name or len(name) > 200:
            raise InputError("a name of 1 to 200 characters is needed", field="name")
        store.rename(design_id, name)
        return RedirectResponse(f"/designs/{design_id}", status_code=303)

    @app.post("/designs/{design_id}/delete", include_in_schema=False)
    def delete_submit(design_id: DesignId) -> Response:
        store.delete(design_id)
        return RedirectResponse("/designs", status_code=303)

    @app.post("/designs/{design_id}/duplicate", include_in_schema=False)
    def duplicate_submit(design_id: DesignId) -> Response:
        new_id, number = store.duplicate(design_id)
        return RedirectResponse(f"/designs/{new_id}/versions/{number}", status_code=303)

    def _ref(design_id: int, number: int) -> dict[str, Any]:
        d = store.design(design_id)
        v = store.version(design_id, number)
        return {
            "name": d["name"],
            "number": number,
            "link": f"/designs/{design_id}/versions/{number}",
            "result": v["result"],
        }

    @app.get("/designs/{design_id}/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_versions_page(
        design_id: DesignId,
        from_: int = Query(..., alias="from", ge=1),
        to: int = Query(..., ge=1),
    ) -> HTMLResponse:
        a, b = _ref(design_id, from_), _ref(design_id, to)
        return page("compare.html", a=a, b=b, d=W.diff(a["result"], b["result"]))

    @app.get("/compare", response_class=HTMLResponse, include_in_schema=False)
    def compare_designs_page(v: list[str] = Query(default=[])) -> HTMLResponse:
        refs = []
        for item in v:
            design_part, _, number_part = item.partition(":")
            if not (design_part.isdigit() and number_part.isdigit()):
                raise InputError("expected DESIGN:VERSION", field="v", value=item)
            refs.append((int(design_part), int(number_part)))
        if len(refs) != 2:
            return page(
                "workspace.html",
                status=422,
                designs=store.list(),
                error="Tick exactly two designs to compare.",
            )
        a, b = _ref(*refs[0]), _ref(*refs[1])
        return page("compare.html", a=a, b=b, d=W.diff(a["result"], b["result"]))

    @app.get("/designs/{design_id}/versions/{number}/files/{name}", include_in_schema=False)
    def file_page(design_id: DesignId, number: VersionNo, name: str, inline: int = 0) -> Response:
        return _file_response(design_id, number, name, inline=bool(inline))

    @app.get("/review", response_class=HTMLResponse, include_in_schema=False)
    def review_page() -> HTMLResponse:
        return page("review.html", limit=settings.max_template_bytes)

    def _file_response(design_id: int, number: int, name: str, *, inline: bool = False) -> Response:
        media, content = store.file(design_id, number, name)
        disposition = "inline" if inline and name in INLINE_OK else "attachment"
        safe = "".join(c for c in name if c.isalnum() or c in ".-_")
        headers = {"Content-Disposition": f'{disposition}; filename="d{design_id}-v{number}-{safe}"'}
        if name == "report.html":  # the report has its own inline stylesheet and no script at all
            headers["Content-Security-Policy"] = (
                "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
            )
        return Response(content, media_type=media, headers=headers)

    # ---------------------------------------------------------------- JSON API: workspace
    @api.post("/designs", status_code=201, response_model=S.VersionRef, tags=["workspace"])
    def create_design(body: S.DesignCreate) -> S.VersionRef:
        """Design, price and review the requirements, and save them as version 1 of a new design."""
        requirements = dict(body.requirements)
        requirements.setdefault("name", body.name[:64])
        new = W.new_version(requirements, body.environment, usage=body.usage, note=body.note or "")
        design_id, number = store.create(body.name, body.environment, new)
        return S.VersionRef(id=design_id, version=number)

    @api.get("/designs", response_model=list[S.DesignSummary], tags=["workspace"])
    def list_designs() -> list[dict[str, Any]]:
        """Designs in the workspace (not deleted), newest change first, with their latest version."""
        return store.list()

    @api.get("/designs/{design_id}", response_model=S.DesignDetail, tags=["workspace"])
    def get_design(design_id: DesignId) -> dict[str, Any]:
        return store.design(design_id)

    @api.put("/designs/{design_id}", status_code=201, response_model=S.VersionRef, tags=["workspace"])
    def new_design_version(design_id: DesignId, body: S.DesignUpdate) -> S.VersionRef:
        """Re-run the design with edited requirements and/or usage overrides: a new version."""
        d = store.design(design_id)
        latest = store.version(design_id, d["versions"][-1]["number"])
        requirements = body.requirements if body.requirements is not None else latest["requirements"]
        usage = body.usage if body.usage is not None else latest["usage"]
        environment = body.environment or d["environment"]
        new = W.new_version(requirements, environment, usage=usage, note=body.note or "")
        number = store.add_version(design_id, new)
        return S.VersionRef(id=design_id, version=number)

    @api.patch("/designs/{design_id}", response_model=S.DesignDetail, tags=["workspace"])
    def rename_design(design_id: DesignId, body: S.DesignRename) -> dict[str, Any]:
        store.rename(design_id, body.name)
        return store.design(design_id)

    @api.delete("/designs/{design_id}", status_code=204, response_class=Response, tags=["workspace"])
    def delete_design(design_id: DesignId) -> Response:
        """Soft delete: the design leaves the list; its versions stay reachable by permalink."""
        store.delete(design_id)
        return Response(status_code=204)

    @api.post(
        "/designs/{design_id}/duplicate", status_code=201, response_model=S.VersionRef, tags=["workspace"]
    )
    def duplicate_design(design_id: DesignId, body: S.DesignDuplicate | None = None) -> S.VersionRef:
        new_id, number = store.duplicate(design_id, body.name if body else None)
        return S.VersionRef(id=new_id, version=number)

    @api.get("/designs/{design_id}/versions", response_model=list[S.VersionSummary], tags=["workspace"])
    def list_versions(design_id: DesignId) -> list[dict[str, Any]]:
        return store.design(design_id)["versions"]

    @api.get("/designs/{design_id}/versions/{number}", response_model=S.VersionDetail, tags=["workspace"])
    def get_version(design_id: DesignId, number: VersionNo) -> dict[str, Any]:
        return store.version(design_id, number)

    @api.get("/designs/{design_id}/diff", response_model=S.Diff, tags=["workspace"])
    def diff_versions(
        design_id: DesignId,
        from_: int = Query(..., alias="from", ge=1, le=2**31 - 1, description="Version to compare from."),
        to: int = Query(..., ge=1, le=2**31 - 1, description="Version to compare to."),
    ) -> dict[str, Any]:
        """Cost delta (total and per line), resources added/removed/changed, findings new/fixed, pattern."""
        a = store.version(design_id, from_)["result"]
        b = store.version(design_id, to)["result"]
        return W.diff(a, b)

    @api.get("/compare", response_model=S.Diff, tags=["workspace"])
    def compare_designs(
        from_design: int = Query(..., ge=1, le=2**31 - 1),
        from_version: int = Query(..., ge=1, le=2**31 - 1),
        to_design: int = Query(..., ge=1, le=2**31 - 1),
        to_version: int = Query(..., ge=1, le=2**31 - 1),
    ) -> dict[str, Any]:
        """Compare a version of one design with a version of another."""
        a = store.version(from_design, from_version)["result"]
        b = store.version(to_design, to_version)["result"]
        return W.diff(a, b)

    @api.get(
        "/designs/{design_id}/versions/{number}/files/{name}",
        tags=["workspace"],
        response_class=Response,
        responses={
            200: {"description": "The file", "content": {m: {} for m in sorted(set(W.MEDIA_TYPES.values()))}}
        },
    )
    def get_file(
        design_id: DesignId,
        number: VersionNo,
        name: Annotated[
            str,
            PathParam(
                description="template.yaml, template-REGION.yaml, report.md, "
                "report.html, design.json, diagram.svg, diagram.png, "
                "diagram.mmd or estimate.csv"
            ),
        ],
    ) -> Response:
        return _file_response(design_id, number, name)

    # ---------------------------------------------------------------- JSON API: stateless
    @api.get("/patterns", tags=["design"])
    def patterns() -> list[dict[str, Any]]:
        from cloudwright.patterns.catalog import load_patterns

        return [{"id": p.id, "name": p.name, "summary": p.summary} for p in load_patterns().values()]

    @api.post(
        "/design",
        tags=["design"],
        response_model=None,
        responses={200: {"content": {"application/json": {}, "text/html": {}, "text/markdown": {}}}},
    )
    def design(
        requirements: dict[str, Any],
        environment: S.Environment = "prod",
        pattern: str | None = Query(None, max_length=100),
        format: S.Format = "json",
        save: bool = False,
    ) -> Response | dict[str, Any]:
        """Design without saving (``save=true`` also saves it as a new workspace design; the id is in
        the JSON ``id``/``version`` keys, or in the ``X-Design-Id`` header for HTML/Markdown)."""
        req = requirements_from_mapping(requirements)
        result = W.run(req, environment, pattern=pattern)
        payload = result.to_dict()
        ref: tuple[int, int] | None = None
        if save:
            from cloudwright.web.store import NewVersion

            new = NewVersion(
                requirements=req.canonical(),
                usage={},
                result=payload,
                files=W.render_files(result),
                note="saved from POST /api/design",
            )
            ref = store.create(req.name, environment, new)
        if format != "json":
            from cloudwright.render import render_report

            out = render_report(result, format)
            media = {"html": "text/html", "markdown": "text/markdown"}[format]
            headers = (
                {"X-Design-Id": str(ref[0]), "Location": f"/designs/{ref[0]}/versions/1"} if ref else None
            )
            return Response(out, media_type=media, headers=headers)
        if ref:
            payload = {**payload, "id": ref[0], "version": ref[1]}
        return payload

    @api.post("/estimate", tags=["templates"])
    def estimate(body: S.EstimateBody) -> dict[str, Any]:
        """Price a CloudFormation template sent as text."""
        from cloudwright.pricing.engine import PricingOptions, price_design

        design = template_design(body.template, settings)
        est = price_design(design, PricingOptions(free_tier=body.free_tier, usage=body.usage))
        return est.to_dict()

    @api.post("/review", tags=["templates"])
    def review(body: S.ReviewBody) -> dict[str, Any]:
        """Review a CloudFormation template sent as text."""
        from cloudwright.review.engine import review_design

        design = template_design(body.template, settings)
        return review_design(design, compliance=body.compliance).to_dict()

    def _upload_text(template: UploadFile) -> str:
        data = template.file.read(settings.max_template_bytes + 1)
        if len(data) > settings.max_template_bytes:
            raise _TooLarge(settings.max_template_bytes)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the template is not UTF-8 text", field="template") from None

    @api.post("/estimate/upload", tags=["templates"])
    def estimate_upload(
        template: Annotated[UploadFile, File(description="The CloudFormation template file (YAML or JSON).")],
        free_tier: Annotated[S.FreeTier, Form()] = "none",
    ) -> dict[str, Any]:
        """Price an uploaded CloudFormation template (multipart/form-data)."""
        from cloudwright.pricing.engine import PricingOptions, price_design

        design = template_design(_upload_text(template), settings)
        return price_design(design, PricingOptions(free_tier=free_tier)).to_dict()

    @api.post("/review/upload", tags=["templates"])
    def review_upload(
        template: Annotated[UploadFile, File(description="The CloudFormation template file (YAML or JSON).")],
    ) -> dict[str, Any]:
        """Review an uploaded CloudFormation template (multipart/form-data)."""
        from cloudwright.review.engine import review_design

        return review_design(template_design(_upload_text(template), settings)).to_dict()

    app.include_router(api)
    app.state.store = store
    app.state.settings = settings
    app.add_middleware(Guard, settings=settings)
    return app
