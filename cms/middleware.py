"""Locale handling that leaves the API and other unprefixed endpoints alone."""

from django.middleware.locale import LocaleMiddleware

UNPREFIXED = ("/api/", "/_allauth/", "/admin/", "/django-admin/", "/documents/", "/static/", "/media/")


class PortalLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware redirects any 404 to ``/de/…`` when the prefixed
    path resolves, and Wagtail's catch-all resolves everything. For the API that
    would turn a 404 problem document into a redirect, so those paths are exempt."""

    def process_response(self, request, response):
        if request.path_info.startswith(UNPREFIXED):
            response.headers.setdefault("Content-Language", self._language(request))
            return response
        return super().process_response(request, response)

    @staticmethod
    def _language(request) -> str:
        return getattr(request, "LANGUAGE_CODE", "de")
