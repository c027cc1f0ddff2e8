"""API endpoints of the locker_bridge app, mounted under /api/v1/."""

urlpatterns: list = []
