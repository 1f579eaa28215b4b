"""FastAPI application: an HTML form and a JSON API over the library.

Routes only parse input, call the library and pick a renderer; everything else lives in the library.
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import Body, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from cloudwright.errors import CloudwrightError, InputError
from cloudwright.requirements import Requirements, requirements_from_mapping
from cloudwright.web.store import Store


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


def create_app(database_url: str | None = None) -> FastAPI:
    app = FastAPI(
        title="cloudwright", version="0.1.0", description="AWS architecture design, pricing and review."
    )
    state: dict[str, Store] = {}

    def store() -> Store:
        if "store" not in state:
            state["store"] = Store(database_url)
        return state["store"]

    @app.exception_handler(CloudwrightError)
    async def _handle(_: Request, exc: CloudwrightError) -> JSONResponse:
        status = 422 if isinstance(exc, InputError) else 400
        return JSONResponse(_error_payload(exc), status_code=status)

    # ---------------------------------------------------------------- HTML
    @app.get("/", response_class=HTMLResponse)
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

    @app.post("/design", response_class=HTMLResponse)
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
    @app.get("/api/patterns")
    def patterns() -> list[dict[str, Any]]:
        from cloudwright.patterns.catalog import load_patterns

        return [{"id": p.id, "name": p.name, "summary": p.summary} for p in load_patterns().values()]

    @app.post("/api/design", response_model=None)
    def design(
        requirements: dict[str, Any] = Body(...),
        environment: str = "prod",
        pattern: str | None = None,
        format: str = "json",
        save: bool = False,
    ) -> Response | dict[str, Any]:
        req = requirements_from_mapping(requirements)
        result = _run(req, environment, pattern)
        if format != "json":
            media = {"html": "text/html", "markdown": "text/markdown"}.get(format, "text/plain")
            return PlainTextResponse(_render(result, format), media_type=media)
        payload = result.to_dict()
        if save:
            payload = {**payload, "id": store().save(payload)}
        return payload

    @app.get("/api/designs")
    def designs() -> list[dict[str, str]]:
        return store().list()

    @app.get("/api/designs/{design_id}", response_model=None)
    def saved(design_id: str) -> dict[str, Any] | JSONResponse:
        found = store().get(design_id)
        if found is None:
            return JSONResponse({"error": f"no saved design {design_id}"}, status_code=404)
        return found

    @app.post("/api/estimate")
    def estimate(
        template: str = Body(..., embed=True),
        usage: dict[str, Any] | None = Body(None, embed=True),
        free_tier: str = Body("none", embed=True),
    ) -> dict[str, Any]:
        from cloudwright.design.cfn_import import import_template
        from cloudwright.pricing.engine import PricingOptions, price_design

        design = import_template(template)
        est = price_design(design, PricingOptions(free_tier=free_tier, usage=usage))
        return est.to_dict()

    @app.post("/api/review")
    def review(
        template: str = Body(..., embed=True),
        compliance: list[str] | None = Body(None, embed=True),
    ) -> dict[str, Any]:
        from cloudwright.design.cfn_import import import_template
        from cloudwright.review.engine import review_design

        design = import_template(template)
        return review_design(design, compliance=compliance).to_dict()

    return app


def _run(req: Requirements, environment: str, pattern: str | None = None) -> Any:
    from cloudwright.pipeline import run_design

    return run_design(req, environment=environment, pattern_id=pattern)


def _render(result: Any, fmt: str) -> str:
    from cloudwright.render import render_report

    out = render_report(result, fmt)
    return out.decode() if isinstance(out, bytes) else out
