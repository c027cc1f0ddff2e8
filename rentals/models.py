"""Models of the rentals app (see its issue)."""
