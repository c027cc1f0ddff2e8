"""API endpoints of the rentals app, mounted under /api/v1/."""

urlpatterns: list = []
