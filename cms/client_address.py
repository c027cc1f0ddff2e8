"""The client's address, one rule for allauth's rate limits, the API throttles and the login lockout.

Behind a reverse proxy every request arrives from the proxy (``REMOTE_ADDR``). The client's address is in
``X-Forwarded-For``, but a client can write that header too: only the entries our own proxies append can
be trusted. With ``TRUSTED_PROXY_COUNT`` proxies in front of gunicorn, the client is the
``TRUSTED_PROXY_COUNT``-th entry from the right — the rule of allauth (``ALLAUTH_TRUSTED_PROXY_COUNT``)
and of Django REST framework (``NUM_PROXIES``). See docs/security.md, "Client addresses behind the proxy".
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent ``request``, as far as our proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded:
        return remote
    entries = [entry.strip() for entry in forwarded.split(",")]
    # Fewer entries than proxies: the request entered behind the outer proxy, and the
    # first entry was written by one of ours (Django REST framework does the same).
    candidate = entries[-min(proxies, len(entries))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
