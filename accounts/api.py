"""API endpoints of Mein Konto, mounted under /api/v1/."""

urlpatterns: list = []
