"""Push endpoints only at push services (issue 13): no SSRF through a device registration."""

import pytest
from rest_framework.test import APIClient

from notifications.models import Campaign, Delivery, Outcome, Subscription
from tests.factories.news import NewsPageFactory
from tests.factories.notifications import web_subscription_create
from tests.notifications.push_service import LocalPushService

pytestmark = pytest.mark.django_db


def _register(endpoint: str):
    browser = LocalPushService()
    browser.origin = endpoint
    subscription = browser.subscription_new()
    subscription["endpoint"] = endpoint
    return APIClient().post("/api/v1/push/devices/", {"platform": "web", "subscription": subscription}, format="json")


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://127.0.0.3:8102/push/abc",  # an IP literal on loopback
        "https://[::1]/push/abc",
        "https://10.0.0.8/push/abc",
        "https://intranet.norderstedt.local/push/abc",  # not a push service
        "https://fcm.googleapis.com.evil.example/push/abc",
    ],
)
def test_an_endpoint_that_is_not_a_public_push_service_is_refused_at_registration(endpoint):
    response = _register(endpoint)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "Push-Dienst" in str(response.json()["errors"])
    assert not Subscription.objects.exists()


def test_a_push_service_name_that_resolves_to_a_private_address_is_refused(dns):
    dns["fcm.googleapis.com"] = "192.168.1.20"
    response = _register("https://fcm.googleapis.com/fcm/send/abc")
    assert response.status_code == 400
    assert "Push-Dienst" in str(response.json()["errors"])


def test_a_public_push_service_is_accepted(dns):
    dns["updates.push.services.mozilla.com"] = "34.117.0.10"
    response = _register("https://updates.push.services.mozilla.com/wpush/v2/abc")
    assert response.status_code == 201, response.json()


def test_an_endpoint_is_checked_again_when_sending(
    push_service, traffic, news_index, settings, dns, django_capture_on_commit_callbacks
):
    fine = web_subscription_create(service=push_service, topics=[traffic])
    # A push service's name that pointed at a public address when the device registered, and now
    # points at an internal one (DNS rebinding).
    settings.PUSH_ENDPOINT_ALLOW_HOSTS = [*settings.PUSH_ENDPOINT_ALLOW_HOSTS, "push.example.test"]
    rebound = web_subscription_create(service=push_service, topics=[traffic])
    port = push_service.origin.rsplit(":", 1)[1]
    endpoint = rebound.web_device.registration_id.replace(f"127.0.0.1:{port}", f"push.example.test:{port}")
    type(rebound.web_device).objects.filter(pk=rebound.web_device.pk).update(registration_id=endpoint)
    dns["push.example.test"] = "127.0.0.1"

    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)

    assert len(push_service.received_by(fine.web_device.registration_id)) == 1
    assert push_service.received_by(endpoint) == []
    refused = Delivery.objects.get(subscription=rebound)
    assert (refused.outcome, refused.deactivated) == (Outcome.PERMANENT, True)
    assert "refused" in refused.error
    assert push_service.tls_connections == 1  # only the allowed origin was contacted
    assert Campaign.objects.get(page=page).status == Campaign.Status.DONE


def test_a_loopback_service_is_only_reached_while_the_settings_name_it(
    push_service, traffic, news_index, settings, django_capture_on_commit_callbacks
):
    device = web_subscription_create(service=push_service, topics=[traffic])
    settings.PUSH_ENDPOINT_LOCAL_HOSTS = []
    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    assert push_service.tls_connections == 0
    assert Delivery.objects.get(subscription=device).outcome == Outcome.PERMANENT
