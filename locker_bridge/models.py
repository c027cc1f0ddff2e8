"""Models of the locker_bridge app (see its issue)."""
