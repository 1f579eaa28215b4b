"""``cloudwright serve``: the web UI and REST API."""

from __future__ import annotations

import dataclasses
import json
import os

import typer

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on."),
        port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
        database_url: str = typer.Option(
            None,
            "--database-url",
            help="SQLAlchemy URL of the workspace (default: $CLOUDWRIGHT_DATABASE_URL or SQLite in the "
            "user data directory). PostgreSQL: postgresql+psycopg://USER:PASSWORD@HOST/DB "
            "(pip install 'cloudwright[postgres]').",
        ),
        allowed_host: list[str] = typer.Option(
            None,
            "--allowed-host",
            help="Host name clients use to reach the server (repeatable; '*.example.com' matches "
            "subdomains, '*' any). Default: $CLOUDWRIGHT_ALLOWED_HOSTS (comma-separated) or the "
            "loopback names only.",
        ),
        token: str = typer.Option(
            None,
            "--token",
            envvar="CLOUDWRIGHT_TOKEN",
            help="Require this bearer token on every request (browsers: open /login?token=TOKEN once).",
            show_envvar=True,
        ),
        max_body_bytes: int = typer.Option(
            2 * 1024 * 1024, min=1024, help="Largest request body accepted (bigger → 413)."
        ),
        max_template_bytes: int = typer.Option(
            1024 * 1024, min=1024, help="Largest CloudFormation template accepted (bigger → 413)."
        ),
        workers: int = typer.Option(
            1, min=1, max=64, help="Worker processes (designing is CPU-bound: about one per core)."
        ),
    ) -> None:
        """Serve the web UI (workspace of saved designs) and the JSON API (see /docs)."""
        from cloudwright.errors import CloudwrightError
        from cloudwright.web.security import LOOPBACK_HOSTS, Settings

        def warn(text: str) -> None:
            typer.echo(text, err=True)

        hosts = tuple(allowed_host or ())
        if not hosts and os.environ.get("CLOUDWRIGHT_ALLOWED_HOSTS"):
            hosts = tuple(h.strip() for h in os.environ["CLOUDWRIGHT_ALLOWED_HOSTS"].split(",") if h.strip())
        if host not in _LOOPBACK:
            warn(
                f"warning: listening on {host}: this server has no user accounts"
                + (
                    "; every request needs the token you set."
                    if token
                    else " and no authentication — anyone who can reach it can use it. "
                    "Set --token (or $CLOUDWRIGHT_TOKEN) to require a bearer token."
                )
            )
            if not hosts:
                warn(
                    "warning: only the loopback host names are accepted; add the name "
                    "clients use with --allowed-host NAME"
                )
        settings = Settings(
            allowed_hosts=(*LOOPBACK_HOSTS, *hosts),
            token=token or None,
            max_body_bytes=max_body_bytes,
            max_template_bytes=max_template_bytes,
        )
        from cloudwright.web.app import create_app

        try:
            application = create_app(database_url, settings=settings)
        except CloudwrightError as exc:
            warn(f"error: {exc}")
            raise typer.Exit(2) from None

        import uvicorn

        if workers == 1:
            uvicorn.run(application, host=host, port=port, log_level="info")
            return
        # Worker processes build their own app from the same, already checked, settings.
        os.environ[SETTINGS_ENV] = json.dumps(
            {"database_url": application.state.store.url, "settings": dataclasses.asdict(settings)}
        )
        uvicorn.run(
            "cloudwright.commands.web:app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
        )


SETTINGS_ENV = "CLOUDWRIGHT_SERVE_SETTINGS"


def app_from_env() -> object:
    """The app of one worker process of ``serve --workers N``."""
    from cloudwright.web.app import create_app
    from cloudwright.web.security import Settings

    data = json.loads(os.environ[SETTINGS_ENV])
    raw = data["settings"]
    settings = Settings(
        allowed_hosts=tuple(raw["allowed_hosts"]),
        token=raw["token"],
        max_body_bytes=int(raw["max_body_bytes"]),
        max_template_bytes=int(raw["max_template_bytes"]),
        open_paths=tuple(raw["open_paths"]),
    )
    return create_app(data["database_url"], settings=settings)
