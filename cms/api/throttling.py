"""API throttles: a limit for anonymous clients, one per signed-in user, and scoped limits on writes.

Every throttle counts by :func:`cms.client_address.client_address`, so behind the production proxy each
citizen has a bucket of their own (docs/security.md, "API throttling"). Counts live in the default cache
(Redis in production, shared by all gunicorn workers). A refused request answers 429 with
``Retry-After`` as a problem document (cms/api/errors.py).
"""

from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from cms.client_address import client_address


class ClientAddressMixin:
    def get_ident(self, request) -> str:
        return client_address(request)


class AnonThrottle(ClientAddressMixin, AnonRateThrottle):
    """Anonymous clients, per client address (rate ``anon``)."""


class UserThrottle(ClientAddressMixin, UserRateThrottle):
    """Signed-in users, per user (rate ``user``)."""


class ScopedWriteThrottle(ClientAddressMixin, ScopedRateThrottle):
    """Writes to a view with a ``throttle_scope``, per user or, when anonymous, per client address.

    Reading the same view (the idea list shares its URL with submission) stays under the general limits.
    """

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
