"""Firebase Cloud Messaging through firebase-admin's HTTP v1 API, 500 per batch.

``send_each`` sends one v1 request per message on a thread pool; the legacy
multicast "topic" send is not used (it cannot report per-device outcomes).
``FCM_ENDPOINT`` points the client at a loopback fake in tests.
"""

import firebase_admin
from firebase_admin import _http_client, credentials, exceptions, messaging
from urllib3.util import retry

from django.conf import settings

from notifications.push import PERMANENT, SENT, TRANSIENT, PushResult, PushTarget, unexpected_failure

BATCH_SIZE = 500
NO_RETRIES = retry.Retry(total=0, status=0, respect_retry_after_header=False, raise_on_status=False)
APP_NAME = "norderstedt-push"
TRANSIENT_ERRORS = (
    messaging.QuotaExceededError,
    exceptions.UnavailableError,
    exceptions.InternalError,
    exceptions.DeadlineExceededError,
    exceptions.UnknownError,
)


def _app() -> firebase_admin.App:
    try:
        return firebase_admin.get_app(APP_NAME)
    except ValueError:
        credential = credentials.Certificate(settings.FCM_CREDENTIALS_FILE)
        return firebase_admin.initialize_app(credential, {"projectId": settings.FCM_PROJECT_ID}, name=APP_NAME)


def _service(app: firebase_admin.App):
    """firebase-admin's messaging service, with two adjustments through its internals.

    * No retries inside firebase-admin: urllib3 would sleep through a 429's
      Retry-After in the worker. Our engine records the delivery as transient
      and comes back after Retry-After instead (notifications.services.fanout).
    * ``FCM_ENDPOINT`` replaces Google's URL, for the loopback fake in tests.
    """
    service = messaging._get_messaging_service(app)
    if not getattr(service, "_norderstedt_configured", False):
        service._client = _http_client.JsonHttpClient(credential=service._credential, timeout=30, retries=NO_RETRIES)
        if settings.FCM_ENDPOINT:
            service._fcm_url = settings.FCM_ENDPOINT.format(project_id=app.project_id)
        service._norderstedt_configured = True
    return service


def _message(target: PushTarget) -> messaging.Message:
    data = {key: str(value) for key, value in target.payload.items()}
    return messaging.Message(
        token=target.token,
        data=data,
        notification=messaging.Notification(title=target.payload["title"], body=target.payload["text"]),
        android=messaging.AndroidConfig(priority="high" if target.urgent else "normal", ttl=24 * 60 * 60),
    )


def _retry_after(error: Exception) -> float | None:
    response = getattr(error, "http_response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    return float(value) if value and value.isdigit() else None


def result_for_exception(*, key: int, error: Exception | None) -> PushResult:
    if error is None:
        return PushResult(key=key, outcome=SENT)
    code = getattr(error, "code", type(error).__name__)
    if isinstance(error, messaging.UnregisteredError | messaging.SenderIdMismatchError):
        return PushResult(key=key, outcome=PERMANENT, error=str(code), deactivate=True)
    if isinstance(error, TRANSIENT_ERRORS):
        return PushResult(key=key, outcome=TRANSIENT, error=str(code), retry_after=_retry_after(error))
    # INVALID_ARGUMENT and friends are about the message, never about the device.
    return PushResult(key=key, outcome=PERMANENT, error=str(code))


def fcm_send(*, targets: list[PushTarget]) -> list[PushResult]:
    results: list[PushResult] = []
    if not targets:
        return results
    service = _service(_app())
    for start in range(0, len(targets), BATCH_SIZE):
        batch = targets[start : start + BATCH_SIZE]
        try:
            response = service.send_each([_message(target) for target in batch])
        except Exception as error:  # noqa: BLE001 - keep the earlier batches' outcomes
            results.extend(unexpected_failure(target=target, error=error) for target in batch)
            continue
        results.extend(
            result_for_exception(key=target.key, error=item.exception)
            for target, item in zip(batch, response.responses, strict=True)
        )
    return results
