import datetime

import pytest
import time_machine

from django.test import override_settings

from notifications.models import Campaign, Delivery, Outcome, Subscription
from notifications.services import campaign_chunk_send, campaign_plan
from notifications.services.fanout import CLAIM_LEASE, deliveries_due_release
from tests.factories.news import NewsPageFactory
from tests.factories.notifications import web_subscription_create

pytestmark = pytest.mark.django_db

NIGHT = datetime.datetime(2026, 11, 26, 23, 30, tzinfo=datetime.UTC)  # 00:30 in Berlin


def _unplanned_campaign(*, news_index, topics, **page_fields) -> Campaign:
    """A campaign whose plan task was not run (on_commit callbacks are not executed)."""
    page = NewsPageFactory(parent=news_index, topics=topics, push_on_publish=True, **page_fields)
    return Campaign.objects.get(page=page)


@override_settings(PUSH_CHUNK_SIZE=3)
def test_chunks_are_yielded_while_planning_and_cover_each_device_once(push_service, traffic, park, news_index):
    devices = [web_subscription_create(service=push_service, topics=[traffic, park]) for _ in range(7)]
    devices.append(web_subscription_create(service=push_service, topics=[park]))
    campaign = _unplanned_campaign(news_index=news_index, topics=[traffic, park])

    chunks = []
    for first, last in campaign_plan(campaign=campaign):
        # The first chunk exists before the rest is planned.
        chunks.append(set(Delivery.objects.filter(campaign=campaign, pk__range=(first, last)).values_list("pk")))
        if len(chunks) == 1:
            assert Delivery.objects.filter(campaign=campaign).count() == 3
            assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.PLANNED

    assert [len(chunk) for chunk in chunks] == [3, 3, 2]
    assert len(set().union(*chunks)) == 8
    subscriptions = Delivery.objects.filter(campaign=campaign).values_list("subscription_id", flat=True)
    assert sorted(subscriptions) == sorted(device.pk for device in devices)  # both topics, one delivery
    campaign.refresh_from_db()
    assert (campaign.status, campaign.targeted) == (Campaign.Status.SENDING, 8)


@override_settings(PUSH_CHUNK_SIZE=2)
def test_a_chunk_sent_while_planning_does_not_close_the_campaign(push_service, traffic, news_index):
    for _ in range(3):
        web_subscription_create(service=push_service, topics=[traffic])
    campaign = _unplanned_campaign(news_index=news_index, topics=[traffic])

    plan = campaign_plan(campaign=campaign)
    first, last = next(plan)
    campaign_chunk_send(campaign=campaign, first_id=first, last_id=last)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.sent, campaign.finished_at) == (Campaign.Status.PLANNED, 2, None)

    for first, last in plan:
        campaign_chunk_send(campaign=campaign, first_id=first, last_id=last)
    campaign.refresh_from_db()
    assert (campaign.status, campaign.sent, campaign.targeted) == (Campaign.Status.DONE, 3, 3)
    assert len(push_service.received) == 3


def test_quiet_hours_are_planned_per_device_setting(push_service, traffic, news_index):
    quiet = web_subscription_create(service=push_service, topics=[traffic], quiet_hours=True)
    awake = web_subscription_create(service=push_service, topics=[traffic])
    lisbon = web_subscription_create(service=push_service, topics=[traffic], quiet_hours=True)
    Subscription.objects.filter(pk=lisbon.pk).update(time_zone="Europe/Lisbon")  # 23:30 there
    late = web_subscription_create(service=push_service, topics=[traffic])
    Subscription.objects.filter(pk=late.pk).update(quiet_start=datetime.time(1, 0), quiet_end=datetime.time(6, 0))
    with time_machine.travel(NIGHT, tick=False):
        campaign = _unplanned_campaign(news_index=news_index, topics=[traffic])
        list(campaign_plan(campaign=campaign))

    not_before = dict(Delivery.objects.filter(campaign=campaign).values_list("subscription_id", "not_before"))
    assert not_before == {
        quiet.pk: datetime.datetime(2026, 11, 27, 6, 0, tzinfo=datetime.UTC),  # 07:00 in Berlin
        awake.pk: None,
        lisbon.pk: datetime.datetime(2026, 11, 27, 7, 0, tzinfo=datetime.UTC),  # 07:00 in Lisbon
        late.pk: None,  # 00:30 is before its quiet hours start
    }


def test_an_eilmeldung_is_planned_without_quiet_hours(push_service, traffic, news_index):
    web_subscription_create(service=push_service, topics=[traffic], quiet_hours=True)
    with time_machine.travel(NIGHT, tick=False):
        campaign = _unplanned_campaign(news_index=news_index, topics=[traffic], push_urgency="urgent")
        list(campaign_plan(campaign=campaign))
    assert list(Delivery.objects.filter(campaign=campaign).values_list("not_before", flat=True)) == [None]


@override_settings(PUSH_CHUNK_SIZE=2)
def test_a_retried_plan_adds_what_is_missing_and_yields_every_open_chunk(push_service, traffic, news_index):
    for _ in range(3):
        web_subscription_create(service=push_service, topics=[traffic])
    campaign = _unplanned_campaign(news_index=news_index, topics=[traffic])
    plan = campaign_plan(campaign=campaign)
    next(plan)  # the plan task dies after its first chunk
    plan.close()
    assert Delivery.objects.filter(campaign=campaign).count() == 2
    sent = Delivery.objects.filter(campaign=campaign).order_by("pk").first()
    Delivery.objects.filter(pk=sent.pk).update(outcome=Outcome.SENT)

    chunks = list(campaign_plan(campaign=campaign))

    open_ids = set(Delivery.objects.filter(campaign=campaign).exclude(pk=sent.pk).values_list("pk", flat=True))
    assert len(open_ids) == 2
    assert {pk for first, last in chunks for pk in open_ids if first <= pk <= last} == open_ids
    assert Campaign.objects.get(pk=campaign.pk).targeted == 3


def test_the_sweep_plans_a_campaign_whose_plan_task_was_lost(push_service, traffic, news_index, time_machine):
    web_subscription_create(service=push_service, topics=[traffic])
    campaign = _unplanned_campaign(news_index=news_index, topics=[traffic])
    assert deliveries_due_release()["plans"] == []  # its plan task may still be queued

    time_machine.move_to(campaign.created_at + CLAIM_LEASE * 2)
    assert deliveries_due_release()["plans"] == [campaign.pk]
    from notifications.tasks import deliveries_release_task

    deliveries_release_task()  # synchronous tasks in the test settings
    campaign.refresh_from_db()
    assert (campaign.status, campaign.sent) == (Campaign.Status.DONE, 1)
    assert len(push_service.received) == 1


def test_existing_devices_of_a_platform_without_credentials_are_planned_as_skipped(
    push_service, traffic, news_index, native_platforms
):
    from notifications.services import subscription_register

    browser = web_subscription_create(service=push_service, topics=[traffic])
    phone, _key = subscription_register(
        platform="apns", token="ab" * 32, language="de", topic_slugs=[traffic.slug], quiet_start=None, quiet_end=None
    )
    native_platforms.APNS_KEY_FILE = ""  # the key was removed after the phone registered
    campaign = _unplanned_campaign(news_index=news_index, topics=[traffic])
    for first, last in campaign_plan(campaign=campaign):
        campaign_chunk_send(campaign=campaign, first_id=first, last_id=last)

    skipped = Delivery.objects.get(subscription=phone)
    assert (skipped.outcome, skipped.error, skipped.attempts) == (Outcome.SKIPPED, "platform not configured", 0)
    assert Delivery.objects.get(subscription=browser).outcome == Outcome.SENT
    campaign.refresh_from_db()
    assert (campaign.targeted, campaign.sent, campaign.skipped, campaign.progress_percent) == (2, 1, 1, 100)
    assert campaign.status == Campaign.Status.DONE
