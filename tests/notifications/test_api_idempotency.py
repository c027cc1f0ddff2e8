"""Idempotency-Key on device registration and changes: a retried registration is one device."""

import pytest
from rest_framework.test import APIClient

from notifications.models import Subscription
from tests.notifications.test_api import browser_subscription  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_a_retried_registration_is_one_device_with_the_first_key(traffic, browser_subscription):  # noqa: F811
    api = APIClient()
    body = {"platform": "web", "subscription": browser_subscription, "topics": ["verkehr-baustellen"], "language": "de"}
    first = api.post("/api/v1/push/devices/", body, format="json", HTTP_IDEMPOTENCY_KEY="d-1")
    second = api.post("/api/v1/push/devices/", body, format="json", HTTP_IDEMPOTENCY_KEY="d-1")
    assert first.status_code == second.status_code == 201, first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert second.json()["device_key"] == first.json()["device_key"]
    assert Subscription.objects.count() == 1
    key = first.json()["device_key"]
    change = api.patch(
        "/api/v1/push/devices/current/",
        {"language": "en"},
        format="json",
        HTTP_X_DEVICE_KEY=key,
        HTTP_IDEMPOTENCY_KEY="d-2",
    )
    again = api.patch(
        "/api/v1/push/devices/current/",
        {"language": "en"},
        format="json",
        HTTP_X_DEVICE_KEY=key,
        HTTP_IDEMPOTENCY_KEY="d-2",
    )
    assert change.status_code == again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert Subscription.objects.get().language == "en"
