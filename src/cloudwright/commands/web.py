"""``cloudwright serve``: the web UI and REST API."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on."),
        port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
        database_url: str = typer.Option(
            None,
            "--database-url",
            help="SQLAlchemy URL for saved designs (default: $CLOUDWRIGHT_DATABASE_URL or SQLite).",
        ),
    ) -> None:
        """Serve the web form and the JSON API (POST /api/design, /api/estimate, /api/review)."""
        import uvicorn

        from cloudwright.web.app import create_app

        uvicorn.run(create_app(database_url), host=host, port=port, log_level="info")
