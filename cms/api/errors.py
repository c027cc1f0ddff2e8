"""Errors in one format for the whole API: RFC 9457 problem details.

https://www.rfc-editor.org/rfc/rfc9457 — every error answers with
``application/problem+json`` and ``type``, ``title``, ``status``, ``detail``;
validation errors add ``errors`` (field -> list of messages). A nested field is
named by its dotted path (``subscription.endpoint``, ``items.0.day``), so an app
can match it to its own form field. Titles and details are gettext strings, so
they arrive in the language of the request (``Accept-Language`` or the ``/en/``
prefix).

Errors raised before DRF sees the request (an unknown URL under ``/api/``, a NUL
byte rejected by ``cms.middleware``, a body Django refuses as too big) use
``problem_http_response``, the same document as a plain Django response.
"""

import json
import math

from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.defaults import bad_request as django_bad_request
from django.views.defaults import page_not_found

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: gettext_lazy("Die Angaben sind nicht vollständig oder nicht gültig."),
    401: gettext_lazy("Bitte melden Sie sich an."),
    403: gettext_lazy("Dafür haben Sie keine Berechtigung."),
    404: gettext_lazy("Das haben wir nicht gefunden."),
    405: gettext_lazy("Diese Aktion ist hier nicht möglich."),
    409: gettext_lazy("Das geht gerade nicht, weil sich etwas geändert hat."),
    422: gettext_lazy("Die Anfrage passt nicht zu einer früheren mit demselben Schlüssel."),
    429: gettext_lazy("Zu viele Anfragen. Bitte warten Sie einen Moment."),
}


class ProblemSerializer(serializers.Serializer):
    """The problem document, for the schema: ``responses={(409, PROBLEM_CONTENT_TYPE): ProblemSerializer}``."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Validation errors: the field's (dotted) name and its messages.",
    )


def problem_title(status_code: int) -> str:
    return str(TITLES.get(status_code, _("Es ist ein Fehler aufgetreten.")))


def problem_body(*, status_code: int, detail: str = "", errors: dict | None = None, code: str = "") -> dict:
    body = {
        "type": f"https://go.norderstedt.de/probleme/{code or status_code}",
        "title": problem_title(status_code),
        "status": status_code,
        "detail": detail or problem_title(status_code),
    }
    if errors:
        body["errors"] = errors
    return body


def problem_response(*, status_code: int, detail: str = "", errors: dict | None = None, code: str = "") -> Response:
    body = problem_body(status_code=status_code, detail=detail, errors=errors, code=code)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def problem_http_response(*, status_code: int, detail: str = "", code: str = "") -> HttpResponse:
    """The same problem document outside DRF (middleware, URL resolver)."""
    body = problem_body(status_code=status_code, detail=detail, code=code)
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def _messages(value) -> list[str]:
    return [str(item) for item in (value if isinstance(value, list) else [value])]


def _flatten_into(errors: dict, prefix: str, detail) -> None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            _flatten_into(errors, f"{prefix}.{key}" if prefix else str(key), value)
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        for index, item in enumerate(detail):
            if item:
                _flatten_into(errors, f"{prefix}.{index}" if prefix else str(index), item)
    else:
        errors.setdefault(prefix or "non_field_errors", []).extend(_messages(detail))


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"dotted.path": ["message", ...]}``."""
    errors: dict[str, list[str]] = {}
    _flatten_into(errors, "", detail)
    return errors


def not_found(request, exception=None):
    """``handler404``: a problem document under ``/api/``, the portal's page elsewhere."""
    if request.path_info.startswith("/api/"):
        return problem_http_response(status_code=404, code="not_found")
    return page_not_found(request, exception)


def bad_request(request, exception=None):
    """``handler400``: a problem document under ``/api/``, Django's page elsewhere.

    Django answers here for what it refuses before any view can: a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB of non-file data), too many fields or files.
    """
    if not request.path_info.startswith("/api/"):
        return django_bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return problem_http_response(
            status_code=400, detail=_("Die Anfrage ist zu groß. Bitte senden Sie weniger Daten."), code="zu-gross"
        )
    return problem_http_response(status_code=400, code="bad_request")


def _throttled_detail(wait: float | None) -> str:
    seconds = max(1, math.ceil(wait or 1))
    if seconds <= 90:
        return ngettext(
            "Bitte warten Sie %(count)d Sekunde und versuchen Sie es dann noch einmal.",
            "Bitte warten Sie %(count)d Sekunden und versuchen Sie es dann noch einmal.",
            seconds,
        ) % {"count": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Bitte warten Sie %(count)d Minute und versuchen Sie es dann noch einmal.",
        "Bitte warten Sie %(count)d Minuten und versuchen Sie es dann noch einmal.",
        minutes,
    ) % {"count": minutes}


def problem_exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.Throttled):
        problem = problem_response(status_code=429, detail=_throttled_detail(exc.wait), code="throttled")
    elif isinstance(exc, exceptions.ValidationError):
        problem = problem_response(
            status_code=status.HTTP_400_BAD_REQUEST, errors=_flatten(exc.detail), code="validation"
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
        default = getattr(exc, "default_detail", "")
        text = str(detail) if detail and str(detail) != str(default) else ""
        problem = problem_response(status_code=response.status_code, detail=text, code=getattr(exc, "default_code", ""))
    for header in ("Retry-After", "WWW-Authenticate", "Allow"):
        if header in response:
            problem[header] = response[header]
    return problem
