"""Apple Push Notification service through aioapns (HTTP/2, token authentication).

``APNS_HOST``/``APNS_PORT`` point the client at a loopback fake in tests.
"""

import asyncio
import ssl

from aioapns import APNs, NotificationRequest, PushType
from aioapns import connection as apns_connection

from django.conf import settings

from notifications.push import PERMANENT, SENT, TRANSIENT, PushResult, PushTarget, loop

DEACTIVATING_REASONS = {"Unregistered", "BadDeviceToken", "DeviceTokenNotForTopic"}
_clients: dict[str, APNs] = {}


def _client() -> APNs:
    client = _clients.get("default")
    if client is None:
        ssl_context = None
        if settings.APNS_HOST:
            for protocol in (
                apns_connection.APNsProductionClientProtocol,
                apns_connection.APNsDevelopmentClientProtocol,
            ):
                protocol.APNS_SERVER = settings.APNS_HOST
                protocol.APNS_PORT = settings.APNS_PORT
            ssl_context = ssl.create_default_context(cafile=settings.PUSH_WEBPUSH_CA_BUNDLE or None)
            ssl_context.set_alpn_protocols(["h2"])
        with open(settings.APNS_KEY_FILE) as key_file:
            key = key_file.read()
        client = APNs(
            key=key,
            key_id=settings.APNS_KEY_ID,
            team_id=settings.APNS_TEAM_ID,
            topic=settings.APNS_TOPIC,
            use_sandbox=settings.APNS_USE_SANDBOX,
            ssl_context=ssl_context,
        )
        _clients["default"] = client
    return client


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
    return list(await asyncio.gather(*(_send_one(client, target) for target in targets)))


def apns_send(*, targets: list[PushTarget]) -> list[PushResult]:
    if not targets:
        return []
    return loop.run(_send_all(targets))
