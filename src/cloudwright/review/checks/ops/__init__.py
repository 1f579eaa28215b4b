"""ops checks: one module per check."""
