"""sus checks: one module per check."""
