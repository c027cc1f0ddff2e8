"""Models of the academy app (see its issue)."""
