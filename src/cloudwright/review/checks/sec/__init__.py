"""sec checks: one module per check."""
