import datetime

import pytest

from django.test import override_settings

from notifications.models import Campaign, Delivery, Outcome
from notifications.services import fanout
from tests.factories.news import NewsPageFactory
from tests.factories.notifications import web_subscription_create

pytestmark = pytest.mark.django_db


class ChunkKilled(Exception):
    pass


@override_settings(PUSH_WEBPUSH_CONCURRENCY=2, PUSH_CHUNK_SIZE=4)
def test_a_chunk_killed_mid_way_and_retried_sends_no_duplicates_to_confirmed_devices(
    push_service, traffic, news_index, monkeypatch, django_capture_on_commit_callbacks, time_machine
):
    devices = [web_subscription_create(service=push_service, topics=[traffic]) for _ in range(10)]
    real_record = fanout.deliveries_record
    windows = []

    def record_then_die_in_third_window(**kwargs):
        windows.append(len(kwargs["deliveries"]))
        if len(windows) == 3:
            raise ChunkKilled  # the worker dies after sending, before recording
        real_record(**kwargs)

    monkeypatch.setattr(fanout, "deliveries_record", record_then_die_in_third_window)
    with pytest.raises(ChunkKilled), django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    confirmed = set(Delivery.objects.filter(outcome=Outcome.SENT).values_list("subscription_id", flat=True))
    assert len(confirmed) == sum(windows[:2])  # the two windows recorded before the crash

    # The retry comes after the claim lease ran out, as django-q2's retry does.
    monkeypatch.setattr(fanout, "deliveries_record", real_record)
    time_machine.move_to(fanout.timezone.now() + fanout.CLAIM_LEASE * 2)
    from notifications.tasks import deliveries_release_task

    with django_capture_on_commit_callbacks(execute=True):
        deliveries_release_task()

    counts = {device.pk: len(push_service.received_by(device.web_device.registration_id)) for device in devices}
    assert all(counts[pk] == 1 for pk in confirmed)
    duplicated = [pk for pk, count in counts.items() if count > 1]
    assert len(duplicated) <= windows[2] <= 4  # bounded by the one window in flight at the crash
    assert all(count >= 1 for count in counts.values())
    campaign = Campaign.objects.get(page=page)
    assert (campaign.sent, campaign.status) == (10, Campaign.Status.DONE)


def test_a_claimed_window_is_not_sent_by_a_second_worker(push_service, traffic, news_index):
    web_subscription_create(service=push_service, topics=[traffic])
    page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)  # on_commit not run
    campaign = Campaign.objects.get(page=page)
    from notifications.services import campaign_plan

    [(first, last)] = campaign_plan(campaign=campaign)
    from django.db.models import Q
    from django.utils import timezone

    claimed = fanout.deliveries_claim(base=Q(campaign=campaign), now=timezone.now(), limit=10)
    assert len(claimed) == 1
    assert fanout.deliveries_claim(base=Q(campaign=campaign), now=timezone.now(), limit=10) == []
    fanout.campaign_chunk_send(campaign=campaign, first_id=first, last_id=last)
    assert push_service.received == []


@override_settings(PUSH_WEBPUSH_CONCURRENCY=4, PUSH_CHUNK_SIZE=8)
def test_connections_are_pooled_per_origin_across_chunks(
    push_service, traffic, news_index, django_capture_on_commit_callbacks
):
    for _ in range(24):
        web_subscription_create(service=push_service, topics=[traffic])
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    assert Campaign.objects.get(page=page).sent == 24
    assert len(push_service.received) == 24
    assert push_service.tls_connections <= 4


def test_vapid_token_is_signed_once_per_origin_and_campaign(
    push_service, traffic, news_index, django_capture_on_commit_callbacks, monkeypatch
):
    for _ in range(5):
        web_subscription_create(service=push_service, topics=[traffic])
    signatures = []
    from notifications.push import webpush

    real_sign = webpush.Vapid02.sign

    def counting_sign(self, claims, *args, **kwargs):
        signatures.append(claims)
        return real_sign(self, claims, *args, **kwargs)

    monkeypatch.setattr(webpush.Vapid02, "sign", counting_sign)
    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    assert len(push_service.received) == 5
    assert [claims["aud"] for claims in signatures] == [push_service.origin]


def test_a_device_with_unusable_keys_is_deactivated_without_ending_the_window(
    push_service, traffic, news_index, django_capture_on_commit_callbacks
):
    good = [web_subscription_create(service=push_service, topics=[traffic]) for _ in range(3)]
    broken = web_subscription_create(service=push_service, topics=[traffic])
    # Stored before validation existed, say: not a point on the P-256 curve.
    broken.web_device.p256dh = "AAAA"
    broken.web_device.save(update_fields=["p256dh"])
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    assert all(len(push_service.received_by(device.web_device.registration_id)) == 1 for device in good)
    delivery = Delivery.objects.get(subscription=broken)
    assert delivery.outcome == Outcome.PERMANENT and "invalid keys" in delivery.error
    broken.web_device.refresh_from_db()
    assert broken.web_device.active is False
    campaign = Campaign.objects.get(page=page)
    assert (campaign.sent, campaign.status) == (3, Campaign.Status.DONE)


def test_a_malformed_retry_after_header_falls_back_to_our_backoff():
    from notifications.push.webpush import retry_after_seconds

    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("not a date") is None


def test_an_unexpected_error_for_one_device_keeps_the_other_outcomes_and_is_retried(
    push_service, traffic, news_index, monkeypatch, django_capture_on_commit_callbacks
):
    from notifications.push import webpush

    good = [web_subscription_create(service=push_service, topics=[traffic]) for _ in range(3)]
    unlucky = web_subscription_create(service=push_service, topics=[traffic])
    real_encrypt = webpush.encrypt

    def encrypt(*, payload, p256dh, auth):
        if p256dh == unlucky.web_device.p256dh:
            raise RuntimeError("a bug we did not foresee")
        return real_encrypt(payload=payload, p256dh=p256dh, auth=auth)

    monkeypatch.setattr(webpush, "encrypt", encrypt)
    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    assert all(len(push_service.received_by(device.web_device.registration_id)) == 1 for device in good)
    assert Delivery.objects.filter(outcome=Outcome.SENT).count() == 3
    delivery = Delivery.objects.get(subscription=unlucky)
    assert delivery.outcome == Outcome.TRANSIENT and "RuntimeError" in delivery.error
    unlucky.web_device.refresh_from_db()
    assert unlucky.web_device.active is True


def _android_registered_while_configured(*, settings, tmp_path, topics, credentials: str | None):
    """An FCM device registered while credentials were there; then they are removed or broken."""
    from notifications.models import Platform
    from notifications.services import subscription_register

    credentials_file = tmp_path / "fcm.json"
    credentials_file.write_text("{}")
    settings.FCM_CREDENTIALS_FILE = str(credentials_file)
    settings.FCM_PROJECT_ID = "norderstedt-test"
    subscription, _key = subscription_register(
        platform=Platform.FCM,
        token="f" * 40,
        language="de",
        topic_slugs=[topic.slug for topic in topics],
        quiet_start=None,
        quiet_end=None,
    )
    if credentials is None:
        credentials_file.unlink()
    else:
        credentials_file.write_text(credentials)
    return subscription


def _retries_run(time_machine, rounds: int) -> None:
    """What the minutely sweep does over the next hours, as the real worker would run it."""
    from notifications.tasks import deliveries_release_task

    for _ in range(rounds):
        time_machine.move_to(fanout.timezone.now() + datetime.timedelta(minutes=20))
        deliveries_release_task()


def test_an_fcm_device_without_credentials_does_not_make_web_push_devices_get_the_push_again(
    push_service, traffic, news_index, settings, tmp_path, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC))
    browsers = [web_subscription_create(service=push_service, topics=[traffic]) for _ in range(20)]
    android = _android_registered_while_configured(
        settings=settings, tmp_path=tmp_path, topics=[traffic], credentials=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    _retries_run(time_machine, rounds=3)

    assert [len(push_service.received_by(device.web_device.registration_id)) for device in browsers] == [1] * 20
    campaign = Campaign.objects.get(page=page)
    assert (campaign.status, campaign.progress_percent, campaign.sent) == (Campaign.Status.DONE, 100, 20)
    assert Delivery.objects.get(subscription=android).outcome == Outcome.SKIPPED


def test_an_fcm_sender_that_fails_to_start_records_its_device_and_never_resends_web_push(
    push_service, traffic, news_index, settings, tmp_path, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC))
    browsers = [web_subscription_create(service=push_service, topics=[traffic]) for _ in range(20)]
    android = _android_registered_while_configured(
        settings=settings, tmp_path=tmp_path, topics=[traffic], credentials="not a service account"
    )

    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    first = Delivery.objects.get(subscription=android)
    assert (first.outcome, first.attempts) == (Outcome.TRANSIENT, 1)
    _retries_run(time_machine, rounds=fanout.MAX_ATTEMPTS + 1)

    assert [len(push_service.received_by(device.web_device.registration_id)) for device in browsers] == [1] * 20
    campaign = Campaign.objects.get(page=page)
    assert (campaign.status, campaign.progress_percent) == (Campaign.Status.DONE, 100)
    assert (campaign.sent, campaign.failed) == (20, 1)
