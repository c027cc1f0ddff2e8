"""History that stays: deliveries and campaigns outlive the devices and pages they were about."""

import datetime

import pytest

from django.apps import apps
from django.db import models
from django.urls import reverse

from wagtail.models import Page

from notifications.models import Campaign, Delivery, Outcome, Platform, Subscription
from notifications.selectors import sends_per_day
from notifications.services import subscription_register, subscription_unregister
from tests.factories.news import NewsPageFactory
from tests.factories.notifications import web_subscription_create

pytestmark = pytest.mark.django_db

MORNING = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)  # 10:00 in Berlin


def _waiting_campaign(*, push_service, traffic, news_index, capture):
    """Five devices got the push; a sixth is in its quiet hours, so the sweep keeps recounting."""
    awake = [web_subscription_create(service=push_service, topics=[traffic]) for _ in range(5)]
    sleeping = web_subscription_create(service=push_service, topics=[traffic], quiet_hours=True)
    sleeping.quiet_start, sleeping.quiet_end = datetime.time(9), datetime.time(18)
    sleeping.save()
    with capture(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True, title="Sperrung")
    campaign = Campaign.objects.get(page=page)
    assert (campaign.status, campaign.sent) == (Campaign.Status.WAITING, 5)
    return page, campaign, awake


def test_unregistering_or_re_registering_a_device_never_lowers_the_reports_totals(
    push_service, traffic, news_index, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(MORNING, tick=False)
    _page, campaign, awake = _waiting_campaign(
        push_service=push_service, traffic=traffic, news_index=news_index, capture=django_capture_on_commit_callbacks
    )
    subscription_unregister(subscription=awake[0])
    # The same browser registers again: its old registration is replaced.
    device = Subscription.objects.get(pk=awake[1].pk).web_device
    subscription_register(
        platform=Platform.WEB,
        token=device.registration_id,
        p256dh=device.p256dh,
        auth=device.auth,
        language="de",
        topic_slugs=[traffic.slug],
    )
    from notifications.tasks import deliveries_release_task

    deliveries_release_task()  # the minutely sweep recounts a waiting campaign

    campaign.refresh_from_db()
    assert (campaign.targeted, campaign.sent) == (6, 5)
    assert Delivery.objects.filter(campaign=campaign, outcome=Outcome.SENT).count() == 5
    assert sends_per_day(days=1)[0]["count"] == 5
    kept = Delivery.objects.filter(campaign=campaign, subscription__isnull=True)
    assert kept.count() == 2 and {delivery.platform for delivery in kept} == {Platform.WEB}


def test_deleting_a_page_keeps_its_campaign_with_figures_and_title(
    push_service, traffic, news_index, django_capture_on_commit_callbacks, admin_client
):
    web_subscription_create(service=push_service, topics=[traffic])
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True, title="Stadtfest")
    campaign = Campaign.objects.get(page=page)
    Page.objects.get(pk=page.pk).delete()

    campaign.refresh_from_db()
    assert (campaign.page_id, campaign.page_title, campaign.sent, campaign.targeted) == (None, "Stadtfest", 1, 1)
    response = admin_client.get(reverse("notifications_campaign_report"))
    assert response.status_code == 200
    assert "Stadtfest" in response.content.decode()


# The records a device or a citizen owns: they go with it. Every other model of notifications is a
# record of what happened and may point at a page or a device only with PROTECT, SET_NULL or
# DO_NOTHING, so an editor's tidy-up or a device's unregistering cannot delete it.
OWNED_RECORDS = {"Subscription", "Topic", "EmailSubscription"}


def _page_or_device(target) -> bool:
    return issubclass(target, Page) or target is Subscription or target._meta.app_label == "push_notifications"


def test_no_history_row_of_notifications_is_deleted_with_a_page_or_device():
    history = [
        model for model in apps.get_app_config("notifications").get_models() if model.__name__ not in OWNED_RECORDS
    ]
    assert {"Campaign", "Delivery"} <= {model.__name__ for model in history}
    cascading = [
        f"{model.__name__}.{field.name}"
        for model in history
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey)
        and _page_or_device(field.related_model)
        and field.remote_field.on_delete is models.CASCADE
    ]
    assert cascading == []
