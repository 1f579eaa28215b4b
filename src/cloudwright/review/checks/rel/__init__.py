"""rel checks: one module per check."""
