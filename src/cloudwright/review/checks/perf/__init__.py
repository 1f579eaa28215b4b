"""perf checks: one module per check."""
