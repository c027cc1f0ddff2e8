"""Apple Push Notification service through aioapns (HTTP/2, token authentication).

``APNS_HOST``/``APNS_PORT`` point the client at a loopback fake in tests.
"""

import ssl
import threading

from aioapns import APNs, NotificationRequest, PushType

from django.conf import settings

from notifications.push import PERMANENT, SENT, TRANSIENT, PushResult, PushTarget, loop, outcomes_gather

DEACTIVATING_REASONS = {"Unregistered", "BadDeviceToken", "DeviceTokenNotForTopic"}
_local = threading.local()


def _pools() -> dict[str, APNs]:
    """Clients are bound to the event loop of their thread (notifications.push.loop)."""
    if not hasattr(_local, "clients"):
        _local.clients = {}
    return _local.clients


def _client() -> APNs:
    """One aioapns client (an HTTP/2 connection pool) per worker process."""
    client = _pools().get("default")
    if client is None:
        with open(settings.APNS_KEY_FILE) as key_file:
            key = key_file.read()
        ssl_context = None
        if settings.PUSH_WEBPUSH_CA_BUNDLE:
            ssl_context = ssl.create_default_context(cafile=settings.PUSH_WEBPUSH_CA_BUNDLE)
            ssl_context.set_alpn_protocols(["h2"])
        client = APNs(
            key=key,
            key_id=settings.APNS_KEY_ID,
            team_id=settings.APNS_TEAM_ID,
            topic=settings.APNS_TOPIC,
            use_sandbox=settings.APNS_USE_SANDBOX,
            ssl_context=ssl_context,
        )
        if settings.APNS_HOST:
            # aioapns has no option for the server; the loopback fake in tests
            # (tests/notifications/apns_fake.py) speaks the same HTTP/2 protocol.
            client.pool.protocol_class = type(
                "LoopbackAPNsProtocol",
                (client.pool.protocol_class,),
                {"APNS_SERVER": settings.APNS_HOST, "APNS_PORT": settings.APNS_PORT},
            )
        _pools()["default"] = client
    return client


def clients_close() -> None:
    for client in _pools().values():
        client.pool.close()
    _pools().clear()


def result_for_response(*, key: int, status: str, description: str) -> PushResult:
    if status == "200":
        return PushResult(key=key, outcome=SENT)
    if status == "410" or description in DEACTIVATING_REASONS:
        return PushResult(key=key, outcome=PERMANENT, error=description or status, deactivate=True)
    if status == "429" or status.startswith("5"):
        return PushResult(key=key, outcome=TRANSIENT, error=description or status)
    return PushResult(key=key, outcome=PERMANENT, error=description or status)


async def _send_one(client: APNs, target: PushTarget) -> PushResult:
    request = NotificationRequest(
        device_token=target.token,
        message={
            "aps": {"alert": {"title": target.payload["title"], "body": target.payload["text"]}},
            "url": target.payload["url"],
            "topic": target.payload["topic"],
        },
        priority=10 if target.urgent else 5,
        push_type=PushType.ALERT,
        time_to_live=24 * 60 * 60,
    )
    try:
        response = await client.send_notification(request)
    except (TimeoutError, OSError, ConnectionError) as error:
        return PushResult(key=target.key, outcome=TRANSIENT, error=type(error).__name__)
    return result_for_response(key=target.key, status=str(response.status), description=response.description or "")


async def _send_all(targets: list[PushTarget]) -> list[PushResult]:
    client = _client()
    return await outcomes_gather(targets, [_send_one(client, target) for target in targets])


def apns_send(*, targets: list[PushTarget]) -> list[PushResult]:
    if not targets:
        return []
    return loop.run(_send_all(targets))
