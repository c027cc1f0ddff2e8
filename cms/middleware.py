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


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class RejectNulMiddleware:
    """A NUL byte in a query or form value is refused with 400 before any view sees it.

    PostgreSQL cannot store or compare text containing NUL ("A string literal
    cannot contain NUL"), so a filter like ``?district=%00`` answered 500. No
    citizen types one; one check here covers every view, form and filter, so no
    view has to remember it. Runs as ``process_view`` so the German page can
    render with the resolved URL (language links).

    Under ``/api/`` only the query is checked: API bodies (JSON and forms) go
    through DRF serializers, whose ``CharField`` refuses NUL
    (``ProhibitNullCharactersValidator``). Reading ``request.POST`` here would
    consume a multipart body's stream, and the view could no longer read
    ``request.body`` (the Idempotency-Key fingerprint does): a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        api = request.path_info.startswith("/api/")
        form = request.content_type in FORM_TYPES and not api
        if not (_has_nul(request.GET) or (form and _has_nul(request.POST))):
            return None
        from django.shortcuts import render
        from django.utils.translation import gettext as _

        from cms.api.errors import problem_http_response

        message = _("Ungültige Zeichen in der Anfrage. Bitte prüfen Sie Ihre Eingabe.")
        if api:
            return problem_http_response(status_code=400, detail=message, code="ungueltige-zeichen")
        return render(request, "cms/bad_request.html", {"message": message}, status=400)
