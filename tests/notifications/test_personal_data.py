"""GDPR export and erasure of devices, e-mail choices and personal notices."""

import json

import pytest
from push_notifications.models import APNSDevice, GCMDevice, WebPushDevice

from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder

from notifications.models import (
    Campaign,
    EmailDelivery,
    EmailMode,
    EmailSubscription,
    PersonalNotice,
    Platform,
    Subscription,
)
from notifications.services import subscription_register
from notifications.services.personal_data import notifications_erase, notifications_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(db, native_platforms):
    return get_user_model().objects.create_user(username="anna", email="anna@example.org")


@pytest.fixture
def neighbour(db):
    return get_user_model().objects.create_user(username="nachbar", email="nachbar@example.org")


def _browser(*, user, topics=(), name: str = "anna"):
    return subscription_register(
        platform=Platform.WEB,
        token=f"https://push.example.org/send/{name}-endpoint-secret",
        p256dh=f"{name}-p256dh-secret",
        auth=f"{name}-auth-secret",
        language="de",
        topic_slugs=[topic.slug for topic in topics],
        user=user,
    )


def _phone(*, user, name: str = "anna"):
    return subscription_register(
        platform=Platform.FCM, token=f"{name}-fcm-token-secret", language="en", topic_slugs=[], user=user
    )


def test_export_names_devices_without_their_secrets_and_holds_nothing_of_a_neighbour(
    citizen, neighbour, home, traffic, park
):
    _subscription, browser_key = _browser(user=citizen, topics=[traffic, park])
    _phone(user=citizen)
    _browser(user=neighbour, topics=[park], name="nachbar")
    EmailSubscription.objects.create(user=citizen, topic=traffic, mode=EmailMode.DIGEST)
    EmailSubscription.objects.create(user=neighbour, topic=park)
    PersonalNotice.objects.create(user=citizen, reference="r1", title="Neues zur Idee", body="Es geht weiter.")
    PersonalNotice.objects.create(user=neighbour, reference="r1", title="Nur für den Nachbarn", body="…")
    campaign = Campaign.objects.create(
        page=home, locale=home.locale, translation_key=home.translation_key, title="Baustelle Ohechaussee", url="/"
    )
    EmailDelivery.objects.create(campaign=campaign, user=citizen, mode=EmailMode.IMMEDIATE)

    data = notifications_export(user=citizen)

    web, fcm = data["devices"]
    assert (web["platform"], web["topics"], web["language"]) == ("web", ["Stadtpark", "Verkehr & Baustellen"], "de")
    assert (fcm["platform"], fcm["topics"], fcm["language"]) == ("fcm", [], "en")
    assert web["created_at"]
    assert data["email_topics"] == [
        {"topic": "Verkehr & Baustellen", "mode": "digest", "created_at": data["email_topics"][0]["created_at"]}
    ]
    assert [notice["title"] for notice in data["personal_notices"]] == ["Neues zur Idee"]
    assert [email["title"] for email in data["topic_emails"]] == ["Baustelle Ohechaussee"]
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    assert "secret" not in text
    assert browser_key not in text
    assert "nachbar" not in text.lower()


def test_erasure_deletes_every_device_of_the_citizen_and_leaves_other_devices(citizen, neighbour, home, park):
    _browser(user=citizen, topics=[park])
    phone, _key = _phone(user=citizen)
    # Linked only through the subscription, or only through the device's own user.
    tablet, _key = _browser(user=None, name="tablet")
    Subscription.objects.filter(pk=tablet.pk).update(user=citizen)
    laptop, _key = _browser(user=citizen, name="laptop")
    Subscription.objects.filter(pk=laptop.pk).update(user=None)
    theirs, _key = _browser(user=neighbour, name="nachbar")
    anonymous, _key = _browser(user=None, name="anonym")
    EmailSubscription.objects.create(user=citizen, topic=park)
    PersonalNotice.objects.create(user=citizen, reference="r1", title="Erinnerung", body="Morgen.")

    notifications_erase(user=citizen)

    assert set(Subscription.objects.values_list("pk", flat=True)) == {theirs.pk, anonymous.pk}
    assert set(WebPushDevice.objects.values_list("pk", flat=True)) == {
        theirs.web_device_id,
        anonymous.web_device_id,
    }
    assert not GCMDevice.objects.filter(pk=phone.fcm_device_id).exists()
    assert not APNSDevice.objects.exists()
    assert not EmailSubscription.objects.filter(user=citizen).exists()
    assert not PersonalNotice.objects.filter(user=citizen).exists()
