"""API endpoints of the ideas app, mounted under /api/v1/."""

urlpatterns: list = []
