"""Web UI and REST API: a thin shell over the same library functions as the CLI."""
