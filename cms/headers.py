"""Response headers that protect what a page loads and who may keep a copy of it.

docs/security.md, "Headers", says what each header is for and how it is tested.

- ``PortalCSPMiddleware`` is django-csp's middleware with two additions: it keeps the
  request's nonce where Wagtail's widgets can find it (cms/script_nonce.py), and it
  applies the Wagtail admin's policy (``ADMIN_POLICY``), because Wagtail's admin
  scripts insert inline styles (docs/decisions.md, "A strict Content-Security-Policy").
- ``PersonalResponseMiddleware`` marks every answer for a signed-in person, for a
  request with credentials and for a session in use as ``Cache-Control: private,
  no-store`` with ``Vary`` on the credentials, so no shared cache (a proxy, a CDN)
  keeps or replays it (RFC 9111, sections 5.2.2.5 and 5.2.2.7).
- ``personal`` marks a view whose answer is personal without any of these, such as
  a ticket reached by a secret link.
"""

from collections.abc import Callable
from functools import wraps

from csp.constants import SELF, UNSAFE_HASHES, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject, empty

from cms.script_nonce import current_nonce

ADMIN_PREFIX = "/admin/"

# Wagtail 8's admin bundles insert <style> elements and style attributes from their scripts
# (vendor.js), which no nonce can reach; scripts stay strict (nonces, cms/script_nonce.py). The
# nonce is left out of style-src here because a browser ignores 'unsafe-inline' next to a nonce.
# frame-ancestors is 'self' because the editor's live preview shows the page in an admin frame.
# The image editor's focal-point tool (Jcrop) probes for event support by setting the handler
# "return;" on an element; script-src-attr allows exactly that text by its hash, nothing else.
ADMIN_POLICY = {
    "style-src": [SELF, UNSAFE_INLINE],
    "script-src-attr": [UNSAFE_HASHES, "'sha256-i+qr4lq34KgNHiW62lWi9aInEBwiEOrfCzaNPCvkqD8='"],
    "frame-ancestors": [SELF],
}

CREDENTIAL_HEADERS = ("Authorization", "X-Session-Token", "X-Device-Key")
VARY_ON = ("Cookie", *CREDENTIAL_HEADERS)


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's policy, with ``ADMIN_POLICY`` in place under ``/admin/``."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request._script_nonce_token = current_nonce.set(request.csp_nonce)

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response = super().process_response(request, response)
        token = getattr(request, "_script_nonce_token", None)
        if token is not None:
            current_nonce.reset(token)
        return response

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request=request, response=response, report_only=report_only)
        if report_only:
            return parts
        if request.path_info.startswith(ADMIN_PREFIX):
            parts.replace = {**ADMIN_POLICY, **(parts.replace or {})}
        elif getattr(request, "is_dummy", False):
            # Wagtail's preview: the page, rendered for a frame of the editor (wagtail.models.preview).
            parts.replace = {"frame-ancestors": [SELF], **(parts.replace or {})}
        return parts


def personal(view: Callable) -> Callable:
    """Mark a view's answers as personal even for a visitor who is not signed in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.personal = True
        return response

    return wrapper


def _session_in_use(request: HttpRequest) -> bool:
    session = getattr(request, "session", None)
    return bool(session is not None and session.accessed and not session.is_empty())


def _signed_in(request: HttpRequest) -> bool:
    """Loads the user only when a session cookie came along or the view already did, so an
    anonymous request for a public page does not load a session just to learn there is none.
    DRF's token authentication puts the user in place of the lazy one."""
    user = request.__dict__.get("user")
    if user is None:
        return False
    unevaluated = isinstance(user, SimpleLazyObject) and user._wrapped is empty
    if unevaluated and settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return bool(user.is_authenticated)


def is_personal(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        getattr(response, "personal", False)
        or any(name in request.headers for name in CREDENTIAL_HEADERS)
        or _signed_in(request)
        or _session_in_use(request)
    )


class PersonalResponseMiddleware:
    """``Cache-Control: private, no-store`` and ``Vary`` on the credentials for personal answers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_personal(request, response):
            patch_cache_control(response, private=True, no_store=True)
            patch_vary_headers(response, VARY_ON)
        return response
