import json

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in

from notifications.models import EmailSubscription, Subscription
from notifications.signals import DEVICE_COOKIE
from tests.notifications.push_service import LocalPushService

pytestmark = pytest.mark.django_db
PAGE = "/de/benachrichtigungen/"


@pytest.fixture
def browser_subscription(dns):
    dns["updates.push.services.mozilla.com"] = "34.117.0.10"
    service = LocalPushService()
    service.origin = "https://updates.push.services.mozilla.com"
    return service.subscription_new()


def test_page_explains_in_plain_german_and_lists_topics(client, traffic, park, vapid):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Was Sie bekommen" in html and "So beenden Sie es" in html
    assert 'value="verkehr-baustellen"' in html and 'value="stadtpark"' in html
    assert f'data-vapid-key="{vapid["public_key"]}"' in html
    assert "22:00 bis 07:00 Uhr" in html


def test_topics_can_be_chosen_without_javascript_and_apply_when_push_is_switched_on(
    client, traffic, park, browser_subscription
):
    response = client.post(PAGE, {"topics": ["stadtpark"], "quiet_start": "22:00", "quiet_end": "07:00"})
    assert response.status_code == 302
    assert 'value="stadtpark" id="topic-stadtpark" checked' in client.get(PAGE).content.decode()

    response = client.post(
        "/de/benachrichtigungen/geraet/", json.dumps({"subscription": browser_subscription}), "application/json"
    )
    assert response.status_code == 200
    assert response.cookies[DEVICE_COOKIE]["httponly"]
    subscription = Subscription.objects.get()
    assert [topic.slug for topic in subscription.topics.all()] == ["stadtpark"]

    client.post(PAGE, {"topics": ["verkehr-baustellen", "stadtpark"], "quiet_start": "", "quiet_end": ""})
    subscription.refresh_from_db()
    assert sorted(topic.slug for topic in subscription.topics.all()) == ["stadtpark", "verkehr-baustellen"]
    assert subscription.quiet_start is None

    response = client.post("/de/benachrichtigungen/geraet/abmelden/")
    assert response.status_code == 302
    assert not Subscription.objects.exists()


def test_signing_in_links_the_browser_device_and_offers_email(client, rf, traffic, browser_subscription):
    client.post(
        "/de/benachrichtigungen/geraet/", json.dumps({"subscription": browser_subscription}), "application/json"
    )
    citizen = get_user_model().objects.create_user(username="anna", email="anna@example.org", password="geheim123!")
    sign_in = rf.post("/de/konto/login/")
    sign_in.COOKIES[DEVICE_COOKIE] = client.cookies[DEVICE_COOKIE].value
    user_logged_in.send(sender=type(citizen), request=sign_in, user=citizen)
    assert Subscription.objects.get().user == citizen
    client.force_login(citizen)

    client.post(PAGE, {"topics": ["verkehr-baustellen"], "email_verkehr-baustellen": "digest"})
    assert EmailSubscription.objects.get(user=citizen).mode == "digest"


def test_malformed_browser_subscription_is_rejected(client, traffic):
    response = client.post(
        "/de/benachrichtigungen/geraet/", json.dumps({"subscription": {"endpoint": "x"}}), "application/json"
    )
    assert response.status_code == 400
    assert not Subscription.objects.exists()


def test_service_worker_is_served_at_the_site_root(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b'addEventListener("push"' in response.content


def test_mein_konto_lists_devices_and_email_choices(client, traffic, browser_subscription):
    from notifications.services import email_subscriptions_set

    citizen = get_user_model().objects.create_user(username="anna", email="anna@example.org")
    email_subscriptions_set(user=citizen, modes={"verkehr-baustellen": "immediate"})
    client.force_login(citizen)
    client.post(
        "/de/benachrichtigungen/geraet/", json.dumps({"subscription": browser_subscription}), "application/json"
    )
    html = client.get("/de/mein-konto/").content.decode()
    assert "Ein Gerät bekommt Benachrichtigungen." in html
    assert "Verkehr &amp; Baustellen: sofort" in html


def test_demo_push_receiver_exists_only_in_development(client, settings):
    url = "/de/benachrichtigungen/demo-empfang/7/"
    assert client.post(url, b"x", content_type="application/octet-stream").status_code == 404
    settings.DEBUG = True
    assert client.post(url, b"x", content_type="application/octet-stream").status_code == 201
