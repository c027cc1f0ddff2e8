import contextlib
import datetime

import firebase_admin
import pytest
import time_machine

from notifications.models import Delivery, Outcome, Platform
from notifications.push import fcm
from notifications.services import subscription_register
from tests.factories.news import NewsPageFactory
from tests.notifications.fcm_fake import PROJECT, FakeFCM

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake_fcm(settings):
    fake = FakeFCM().start()
    settings.FCM_CREDENTIALS_FILE = fake.credentials_file
    settings.FCM_PROJECT_ID = PROJECT
    settings.FCM_ENDPOINT = fake.base + "/v1/projects/{project_id}/messages:send"
    yield fake
    with contextlib.suppress(ValueError):
        firebase_admin.delete_app(firebase_admin.get_app(fcm.APP_NAME))
    fake.stop()


def android(token: str, topics, language: str = "de"):
    subscription, _key = subscription_register(
        platform=Platform.FCM,
        token=token,
        language=language,
        topic_slugs=[topic.slug for topic in topics],
        quiet_start=None,
        quiet_end=None,
    )
    return subscription


def test_fcm_devices_get_the_push_through_firebase_admin_with_per_device_outcomes(
    fake_fcm, traffic, news_index, django_capture_on_commit_callbacks
):
    fine = android("a" * 40, [traffic])
    gone = android("b" * 40, [traffic])
    broken_payload = android("c" * 40, [traffic])
    busy = android("d" * 40, [traffic])
    fake_fcm.answer(gone.fcm_device.registration_id, 404, "UNREGISTERED")
    fake_fcm.answer(broken_payload.fcm_device.registration_id, 400, "INVALID_ARGUMENT")
    fake_fcm.answer(busy.fcm_device.registration_id, 429, "QUOTA_EXCEEDED", {"Retry-After": "90"})

    start = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True, title="Sperrung")

    [message] = fake_fcm.sent_to(fine.fcm_device.registration_id)
    assert message["data"]["title"] == "Sperrung"
    assert set(message["data"]) == {"title", "text", "url", "topic"}
    outcomes = {delivery.subscription_id: delivery for delivery in Delivery.objects.filter(campaign__page=page)}
    assert outcomes[fine.pk].outcome == Outcome.SENT
    assert (outcomes[gone.pk].outcome, outcomes[gone.pk].deactivated) == (Outcome.PERMANENT, True)
    assert (outcomes[broken_payload.pk].outcome, outcomes[broken_payload.pk].deactivated) == (Outcome.PERMANENT, False)
    assert outcomes[busy.pk].outcome == Outcome.TRANSIENT
    assert outcomes[busy.pk].not_before == start + datetime.timedelta(seconds=90)
    for subscription, active in ((gone, False), (broken_payload, True), (fine, True)):
        subscription.fcm_device.refresh_from_db()
        assert subscription.fcm_device.active is active


def test_a_failed_batch_keeps_the_earlier_batches_outcomes(fake_fcm, traffic, monkeypatch):
    from notifications.push import PushTarget

    monkeypatch.setattr(fcm, "BATCH_SIZE", 2)
    targets = [
        PushTarget(key=number, token=f"{number}" * 40, payload={"title": "T", "text": "x", "url": "/", "topic": ""})
        for number in range(1, 5)
    ]
    service = fcm._service(fcm._app())
    real_send_each = type(service).send_each
    calls = []

    def send_each(self, messages, *args, **kwargs):
        calls.append(len(messages))
        if len(calls) == 2:
            raise OSError("connection reset")
        return real_send_each(self, messages, *args, **kwargs)

    monkeypatch.setattr(type(service), "send_each", send_each)
    results = fcm.fcm_send(targets=targets)
    assert [(result.key, result.outcome) for result in results] == [
        (1, "sent"),
        (2, "sent"),
        (3, "transient"),
        (4, "transient"),
    ]
    assert "OSError" in results[2].error
