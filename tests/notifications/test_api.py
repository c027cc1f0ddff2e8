import pytest
from rest_framework.test import APIClient

from django.contrib.auth import get_user_model

from notifications.models import Subscription
from tests.notifications.push_service import LocalPushService

pytestmark = pytest.mark.django_db

FCM_TOKEN = "dQw4w9WgXcQ:APA91bH" + "x" * 140
APNS_TOKEN = "ab" * 32


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def browser_subscription(dns):
    """Keys shaped exactly as a browser's PushManager makes them, at Firefox's push service (no network)."""
    dns["updates.push.services.mozilla.com"] = "34.117.0.10"
    service = LocalPushService()
    service.origin = "https://updates.push.services.mozilla.com"
    return service.subscription_new()


def test_register_web_push_device_and_change_topics_language_and_quiet_hours(api, traffic, park, browser_subscription):
    response = api.post(
        "/api/v1/push/devices/",
        {"platform": "web", "subscription": browser_subscription, "topics": ["verkehr-baustellen"], "language": "en"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    key = body["device_key"]
    assert len(key) >= 40
    assert body["topics"] == ["verkehr-baustellen"]
    assert body["quiet_hours"] == {"start": "22:00", "end": "07:00"}
    subscription = Subscription.objects.get()
    assert subscription.key_hash != key
    assert subscription.web_device.registration_id == browser_subscription["endpoint"]

    response = api.patch(
        "/api/v1/push/devices/current/",
        {"topics": ["stadtpark"], "language": "de", "quiet_hours": {"start": "21:30", "end": "06:00"}},
        format="json",
        HTTP_X_DEVICE_KEY=key,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["topics"] == ["stadtpark"]
    assert response.json()["quiet_hours"] == {"start": "21:30", "end": "06:00"}

    response = api.patch("/api/v1/push/devices/current/", {"quiet_hours": None}, format="json", HTTP_X_DEVICE_KEY=key)
    assert response.json()["quiet_hours"] is None

    assert api.delete("/api/v1/push/devices/current/", HTTP_X_DEVICE_KEY=key).status_code == 204
    assert not Subscription.objects.exists()
    assert api.get("/api/v1/push/devices/current/", HTTP_X_DEVICE_KEY=key).status_code == 404


def test_register_fcm_and_apns_devices_linked_to_the_signed_in_citizen(api, traffic, native_platforms):
    citizen = get_user_model().objects.create_user(username="anna", email="anna@example.org")
    api.force_authenticate(citizen)
    for platform, token in (("fcm", FCM_TOKEN), ("apns", APNS_TOKEN)):
        response = api.post(
            "/api/v1/push/devices/",
            {"platform": platform, "token": token, "topics": ["verkehr-baustellen"]},
            format="json",
        )
        assert response.status_code == 201, response.json()
    assert Subscription.objects.filter(user=citizen).count() == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"platform": "fcm", "token": "kurz"}, "token"),
        ({"platform": "apns", "token": "not-hex" * 10}, "token"),
        ({"platform": "web"}, "subscription"),
        (
            {"platform": "web", "subscription": {"endpoint": "http://push.example.org/x", "keys": {}}},
            "subscription",
        ),
        ({"platform": "fcm", "token": FCM_TOKEN, "topics": ["gibt-es-nicht"]}, "topics"),
        ({"platform": "fcm", "token": FCM_TOKEN, "language": "fr"}, "language"),
        ({"platform": "telegram", "token": FCM_TOKEN}, "platform"),
    ],
)
def test_bad_tokens_and_malformed_subscriptions_get_a_clear_400(api, traffic, native_platforms, payload, field):
    response = api.post("/api/v1/push/devices/", payload, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    # Nested errors are named by their dotted path ("subscription.endpoint").
    named = [key for key in body["errors"] if key == field or key.startswith(f"{field}.")]
    assert named, body
    assert all(message and isinstance(message, str) for key in named for message in body["errors"][key])


def test_a_bad_p256dh_key_is_rejected_with_a_clear_message(api, browser_subscription):
    browser_subscription["keys"]["p256dh"] = "AAAA" * 20
    response = api.post(
        "/api/v1/push/devices/", {"platform": "web", "subscription": browser_subscription}, format="json"
    )
    assert response.status_code == 400
    assert "P-256" in str(response.json()["errors"])


def test_unknown_device_key_is_404(api):
    response = api.patch("/api/v1/push/devices/current/", {"topics": []}, format="json", HTTP_X_DEVICE_KEY="geraten")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(("platform", "token"), [("fcm", FCM_TOKEN), ("apns", APNS_TOKEN)])
def test_a_device_of_a_platform_without_credentials_is_refused_with_a_problem_document(api, traffic, platform, token):
    response = api.post(
        "/api/v1/push/devices/", {"platform": platform, "token": token, "topics": ["verkehr-baustellen"]}, format="json"
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert "im Moment nicht möglich" in body["detail"]
    assert body["type"].endswith("/platform-not-configured")
    assert not Subscription.objects.exists()


def test_web_push_without_vapid_keys_is_refused_by_the_browser_endpoint_too(client, settings, browser_subscription):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""
    response = client.post(
        "/de/benachrichtigungen/geraet/", {"subscription": browser_subscription}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "im Moment nicht möglich" in response.json()["errors"]["platform"][0]
