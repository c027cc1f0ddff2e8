"""/api/v1/: every app's endpoints under one version prefix, plus the schema.

The docs page is drf-spectacular's Redoc served from drf-spectacular-sidecar's
local copy, so no CDN is contacted. Redoc styles itself with ``<style>`` elements
from its script (styled-components) and searches in a worker made from a ``blob:``,
so that page alone allows inline styles and blob workers. Its footer's Redocly logo
(from Redocly's CDN) stays blocked.
"""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from django.urls import include, path, re_path

from cms.api.errors import not_found

docs_policy = csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        docs_policy(SpectacularRedocView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("", include("news.api")),
    path("", include("notifications.api")),
    path("", include("home.api")),
    path("", include("accounts.api")),
    path("", include("rentals.api")),
    path("", include("locker_bridge.api")),
    path("", include("academy.api")),
    path("", include("ideas.api")),
    # Last: any other path under /api/v1/ is a 404 problem document, with DEBUG too.
    re_path(r"^", not_found),
]


def only_public_api(endpoints, **kwargs):
    """drf-spectacular preprocessing hook: document /api/v1/ only, not Wagtail's admin API."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
