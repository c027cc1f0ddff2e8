"""API endpoints of the academy app, mounted under /api/v1/."""

urlpatterns: list = []
