"""Web Push (RFC 8030) with aes128gcm encryption (RFC 8291) and VAPID (RFC 8292).

Three things make this fast where django-push-notifications' path is slow:

* one pooled keep-alive HTTP client per push-service origin, kept for the life
  of the worker process (``notifications.push.loop``). It is our lean HTTP/1.1
  pool (``notifications.push.http1``): httpx's pool measured 5 to 20 times
  slower here (docs/decisions.md);
* the VAPID JWT is signed once per origin and campaign, not once per device,
  and signed again before it expires (a campaign held by quiet hours outlives it);
* requests run concurrently, up to ``PUSH_WEBPUSH_CONCURRENCY`` per origin.
"""

import base64
import datetime
import email.utils
import os
import ssl
import threading
import time
from collections import defaultdict
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

from django.conf import settings
from django.core.cache import cache

from notifications.push import PERMANENT, SENT, TRANSIENT, PushResult, PushTarget, loop, outcomes_gather
from notifications.push.endpoints import EndpointRefused, connect_address, host_check
from notifications.push.http1 import OriginPool, PushConnectionError
from notifications.push.payload import payload_encode

VAPID_LIFETIME = datetime.timedelta(hours=12)
VAPID_RENEW_MARGIN = datetime.timedelta(minutes=10)
TTL_SECONDS = 24 * 60 * 60
DEACTIVATING_STATUSES = {404, 410}

_local = threading.local()


def _pools() -> dict[str, OriginPool]:
    """Clients are bound to the event loop of their thread (notifications.push.loop)."""
    if not hasattr(_local, "clients"):
        _local.clients = {}
    return _local.clients


_tokens: dict[tuple[str, str], tuple[str, int]] = {}


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def endpoint_origin(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def vapid_authorization(*, origin: str, campaign_key: str) -> str:
    """The ``Authorization: vapid t=…, k=…`` header for one origin and campaign.

    Signed once and shared through the cache by every worker of the campaign; the
    token lives 12 hours, well inside RFC 8292's 24-hour limit (section 2). A
    campaign can outlive its token (quiet hours hold a push for up to a night,
    backoff and Retry-After add more), and a push service answers an expired
    token with 401/403, which is a permanent failure. So the header is kept with
    its ``exp`` and signed anew once ``exp`` is less than ``VAPID_RENEW_MARGIN``
    away, in this process's memo and in the shared cache alike.
    """
    now = int(time.time())
    renew_before = int(VAPID_RENEW_MARGIN.total_seconds())
    memo_key = (campaign_key, origin)
    memo = _tokens.get(memo_key)
    if memo is not None and memo[1] - renew_before > now:
        return memo[0]
    cache_key = f"push:vapid-with-exp:{campaign_key}:{origin}"
    cached = cache.get(cache_key)
    if cached is None or cached[1] - renew_before <= now:
        expires = now + int(VAPID_LIFETIME.total_seconds())
        vapid = Vapid02.from_string(settings.VAPID_PRIVATE_KEY)
        claims = {"aud": origin, "sub": settings.VAPID_SUBJECT, "exp": expires}
        cached = (vapid.sign(claims)["Authorization"], expires)
        cache.set(cache_key, cached, expires - renew_before - now)
    _tokens[memo_key] = cached
    return cached[0]


def encrypt(*, payload: bytes, p256dh: str, auth: str) -> bytes:
    """aes128gcm body for one subscription, with a fresh sender key (RFC 8291 section 3.1)."""
    return http_ece.encrypt(
        payload,
        salt=os.urandom(16),
        private_key=ec.generate_private_key(ec.SECP256R1()),
        dh=b64url_decode(p256dh),
        auth_secret=b64url_decode(auth),
        version="aes128gcm",
    )


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # a malformed header: fall back to our own backoff
    return max(0.0, parsed.timestamp() - time.time()) if parsed else None


def result_for_status(*, key: int, status: int, retry_after: str | None) -> PushResult:
    if status in (200, 201, 202):
        return PushResult(key=key, outcome=SENT)
    if status in DEACTIVATING_STATUSES:
        return PushResult(key=key, outcome=PERMANENT, error=f"HTTP {status}", deactivate=True)
    if status == 429 or status >= 500:
        return PushResult(
            key=key, outcome=TRANSIENT, error=f"HTTP {status}", retry_after=retry_after_seconds(retry_after)
        )
    # 400 and 413 are about our request or payload, 401/403 about our VAPID key:
    # none of them says the device is gone, so it stays active.
    return PushResult(key=key, outcome=PERMANENT, error=f"HTTP {status}")


def _client_for(origin: str) -> OriginPool:
    client = _pools().get(origin)
    if client is None:
        client = OriginPool(
            origin,
            size=settings.PUSH_WEBPUSH_CONCURRENCY,
            ssl_context=ssl.create_default_context(cafile=settings.PUSH_WEBPUSH_CA_BUNDLE or None),
            resolve=connect_address,
        )
        _pools()[origin] = client
    return client


async def _send_one(client: OriginPool, target: PushTarget, authorization: str) -> PushResult:
    try:
        body = encrypt(payload=payload_encode(target.payload), p256dh=target.p256dh, auth=target.auth)
    except (ValueError, TypeError) as error:
        # The subscription's keys are unusable: no message can ever reach this browser. One such
        # device must not end the whole window, or every retry would resend to the others.
        return PushResult(key=target.key, outcome=PERMANENT, error=f"invalid keys: {error}"[:200], deactivate=True)
    headers = {
        "Authorization": authorization,
        "TTL": str(TTL_SECONDS),
        "Content-Encoding": "aes128gcm",
        "Content-Type": "application/octet-stream",
        "Urgency": "high" if target.urgent else "normal",
    }
    parts = urlsplit(target.token)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        status, answer = await client.post(path, headers, body)
    except PushConnectionError as error:
        return PushResult(key=target.key, outcome=TRANSIENT, error=str(error)[:200])
    except EndpointRefused as error:
        return _refused(target, error)
    return result_for_status(key=target.key, status=status, retry_after=answer.get("retry-after"))


def _refused(target: PushTarget, error: EndpointRefused) -> PushResult:
    """Not a public push service (notifications.push.endpoints): never sent, and the device is switched off."""
    return PushResult(key=target.key, outcome=PERMANENT, error=f"endpoint refused: {error}"[:200], deactivate=True)


async def _send_all(targets: list[PushTarget], campaign_key: str) -> list[PushResult]:
    by_origin: dict[str, list[PushTarget]] = defaultdict(list)
    for target in targets:
        by_origin[endpoint_origin(target.token)].append(target)
    jobs, ordered, refused = [], [], []
    for origin, origin_targets in by_origin.items():
        try:
            host_check(urlsplit(origin).hostname or "")
        except EndpointRefused as error:
            refused.extend(_refused(target, error) for target in origin_targets)
            continue
        client = _client_for(origin)
        authorization = vapid_authorization(origin=origin, campaign_key=campaign_key)
        jobs.extend(_send_one(client, target, authorization) for target in origin_targets)
        ordered.extend(origin_targets)
    return refused + await outcomes_gather(ordered, jobs)


def webpush_send(*, targets: list[PushTarget], campaign_key: str) -> list[PushResult]:
    """Send to Web Push subscriptions concurrently; one result per target."""
    if not targets:
        return []
    return loop.run(_send_all(targets, campaign_key))


def clients_close() -> None:
    """Drop the pooled connections (tests and the benchmark call this between runs)."""
    for client in _pools().values():
        client.close()
    _pools().clear()
    _tokens.clear()
