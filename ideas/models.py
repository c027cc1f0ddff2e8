"""Models of the ideas app (see its issue)."""
