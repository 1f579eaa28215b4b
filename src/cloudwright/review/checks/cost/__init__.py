"""cost checks: one module per check."""
