import pytest

from notifications.models import Delivery, Outcome, Platform
from notifications.push import apns
from notifications.services import subscription_register
from tests.factories.news import NewsPageFactory
from tests.notifications.apns_fake import KEY_ID, TEAM_ID, FakeAPNs

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_apns(settings):
    fake = FakeAPNs().start()
    settings.APNS_KEY_FILE = fake.key_path
    settings.APNS_KEY_ID = KEY_ID
    settings.APNS_TEAM_ID = TEAM_ID
    settings.APNS_TOPIC = "de.norderstedt.go"
    settings.APNS_HOST = "127.0.0.1"
    settings.APNS_PORT = fake.port
    settings.PUSH_WEBPUSH_CA_BUNDLE = fake.cert_path
    yield fake
    apns.clients_close()
    fake.stop()


def iphone(token: str, topics):
    subscription, _key = subscription_register(
        platform=Platform.APNS,
        token=token,
        language="de",
        topic_slugs=[topic.slug for topic in topics],
        quiet_start=None,
        quiet_end=None,
    )
    return subscription


def test_apns_devices_get_the_push_through_aioapns_with_per_device_outcomes(
    fake_apns, traffic, news_index, django_capture_on_commit_callbacks
):
    fine = iphone("aa" * 32, [traffic])
    gone = iphone("bb" * 32, [traffic])
    bad_payload = iphone("cc" * 32, [traffic])
    fake_apns.answer(gone.apns_device.registration_id, 410, "Unregistered")
    fake_apns.answer(bad_payload.apns_device.registration_id, 400, "PayloadTooLarge")

    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(
            parent=news_index, topics=[traffic], push_on_publish=True, push_urgency="urgent", title="Unwetter"
        )

    assert fake_apns.rejected == []
    [received] = [item for item in fake_apns.received if item["token"] == fine.apns_device.registration_id]
    assert received["payload"]["aps"]["alert"]["title"] == "Unwetter"
    assert received["headers"]["apns-priority"] == "10"
    outcomes = {delivery.subscription_id: delivery for delivery in Delivery.objects.filter(campaign__page=page)}
    assert outcomes[fine.pk].outcome == Outcome.SENT
    assert (outcomes[gone.pk].outcome, outcomes[gone.pk].deactivated) == (Outcome.PERMANENT, True)
    assert (outcomes[bad_payload.pk].outcome, outcomes[bad_payload.pk].deactivated) == (Outcome.PERMANENT, False)
    gone.apns_device.refresh_from_db()
    bad_payload.apns_device.refresh_from_db()
    assert (gone.apns_device.active, bad_payload.apns_device.active) == (False, True)
