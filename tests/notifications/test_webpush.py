import datetime

import pytest
import time_machine

from django.core.cache import cache

from notifications.models import Campaign, Delivery, Outcome
from notifications.push import webpush
from tests.factories.news import NewsPageFactory
from tests.factories.notifications import web_subscription_create

pytestmark = pytest.mark.django_db

# 21:00 in Berlin (UTC+1 in November).
EVENING = datetime.datetime(2026, 11, 26, 20, 0, tzinfo=datetime.UTC)


def test_a_push_held_past_the_vapid_lifetime_is_sent_with_a_fresh_token(
    push_service, traffic, news_index, django_capture_on_commit_callbacks
):
    awake = web_subscription_create(service=push_service, topics=[traffic])
    sleeping = web_subscription_create(service=push_service, topics=[traffic], quiet_hours=True)
    sleeping.quiet_start, sleeping.quiet_end = datetime.time(21), datetime.time(10)
    sleeping.save()

    with time_machine.travel(EVENING, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
        assert len(push_service.received_by(awake.web_device.registration_id)) == 1
        held = Delivery.objects.get(subscription=sleeping)
        assert held.not_before == EVENING + datetime.timedelta(hours=13)

        # Quiet hours end 13 hours later: the token signed at 21:00 expired an hour ago.
        clock.move_to(EVENING + datetime.timedelta(hours=13, minutes=1))
        from notifications.tasks import deliveries_release_task

        with django_capture_on_commit_callbacks(execute=True):
            deliveries_release_task()

    assert push_service.rejected == []
    assert len(push_service.received_by(sleeping.web_device.registration_id)) == 1
    assert Delivery.objects.get(subscription=sleeping).outcome == Outcome.SENT
    assert Campaign.objects.get(page=page).status == Campaign.Status.DONE


def test_the_vapid_header_is_reused_until_shortly_before_it_expires(vapid):
    origin = "https://push.example"
    cache.clear()
    with time_machine.travel(EVENING, tick=False) as clock:
        first = webpush.vapid_authorization(origin=origin, campaign_key="campaign-1")
        clock.shift(datetime.timedelta(hours=11))
        assert webpush.vapid_authorization(origin=origin, campaign_key="campaign-1") == first
        clock.shift(webpush.VAPID_LIFETIME - webpush.VAPID_RENEW_MARGIN - datetime.timedelta(hours=11))
        renewed = webpush.vapid_authorization(origin=origin, campaign_key="campaign-1")
    webpush.clients_close()
    cache.clear()
    assert renewed != first
