import datetime

import pytest
import time_machine

from django.utils import timezone

from notifications.models import Campaign, Delivery, Outcome
from tests.factories.news import NewsPageFactory
from tests.factories.notifications import web_subscription_create

pytestmark = pytest.mark.django_db


def test_publishing_pushes_once_to_each_subscribed_device_in_its_language(
    push_service, traffic, park, news_index, locales, django_capture_on_commit_callbacks
):
    german = web_subscription_create(service=push_service, topics=[traffic])
    english = web_subscription_create(service=push_service, topics=[traffic, park], language="en")
    other_topic = web_subscription_create(service=push_service, topics=[park])
    inactive = web_subscription_create(service=push_service, topics=[traffic])
    inactive.web_device.active = False
    inactive.web_device.save()

    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(
            parent=news_index, topics=[traffic], push_on_publish=True, title="Sperrung Ulzburger Straße"
        )

    campaign = Campaign.objects.get(page=page)
    assert campaign.status == Campaign.Status.DONE
    assert (campaign.targeted, campaign.sent, campaign.failed) == (2, 2, 0)
    [to_german] = push_service.received_by(german.web_device.registration_id)
    [to_english] = push_service.received_by(english.web_device.registration_id)
    assert to_german.payload["title"] == "Sperrung Ulzburger Straße"
    # No English translation is live, so the English device reads German.
    assert to_english.payload == to_german.payload
    assert to_german.payload["topic"] == "verkehr-baustellen"
    assert to_german.urgency == "normal"
    assert push_service.received_by(other_topic.web_device.registration_id) == []
    assert push_service.received_by(inactive.web_device.registration_id) == []
    assert push_service.rejected == []


def test_republishing_does_not_resend_but_erneut_senden_does(
    push_service, traffic, news_index, django_capture_on_commit_callbacks
):
    device = web_subscription_create(service=push_service, topics=[traffic])
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)

    page.teaser = "Aktualisiert."
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert len(push_service.received_by(device.web_device.registration_id)) == 1

    page.push_resend = True
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    assert len(push_service.received_by(device.web_device.registration_id)) == 2
    assert Campaign.objects.filter(page=page).count() == 2

    page.refresh_from_db()
    assert page.push_resend is False
    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision_as_object().save_revision().publish()
    assert len(push_service.received_by(device.web_device.registration_id)) == 2


def test_scheduled_page_pushes_only_at_go_live(push_service, traffic, news_index, django_capture_on_commit_callbacks):
    device = web_subscription_create(service=push_service, topics=[traffic])
    go_live = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True, publish=False)
    page.go_live_at = go_live
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    assert Campaign.objects.count() == 0
    assert push_service.received == []

    from django.core.management import call_command

    with time_machine.travel(go_live + datetime.timedelta(minutes=1)), django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")
    assert Campaign.objects.filter(page=page).count() == 1
    assert len(push_service.received_by(device.web_device.registration_id)) == 1


def test_page_without_push_or_topics_creates_no_campaign(
    push_service, traffic, news_index, django_capture_on_commit_callbacks
):
    web_subscription_create(service=push_service, topics=[traffic])
    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        NewsPageFactory(parent=news_index, topics=[], push_on_publish=True)
    assert Campaign.objects.count() == 0


def test_quiet_hours_hold_normal_pushes_until_morning(
    push_service, traffic, news_index, django_capture_on_commit_callbacks
):
    device = web_subscription_create(service=push_service, topics=[traffic], quiet_hours=True)
    night = datetime.datetime(2026, 11, 26, 23, 30, tzinfo=datetime.UTC)  # 00:30 in Berlin
    with time_machine.travel(night, tick=False), django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    campaign = Campaign.objects.get(page=page)
    assert campaign.status == Campaign.Status.WAITING
    assert push_service.received == []
    delivery = Delivery.objects.get(campaign=campaign)
    assert delivery.not_before == datetime.datetime(2026, 11, 27, 6, 0, tzinfo=datetime.UTC)  # 07:00 Berlin

    from notifications.tasks import deliveries_release_task

    with (
        time_machine.travel(datetime.datetime(2026, 11, 27, 5, 59, tzinfo=datetime.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        deliveries_release_task()
    assert push_service.received == []
    with (
        time_machine.travel(datetime.datetime(2026, 11, 27, 6, 1, tzinfo=datetime.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        deliveries_release_task()
    assert len(push_service.received_by(device.web_device.registration_id)) == 1
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DONE


def test_eilmeldung_bypasses_quiet_hours_with_urgency_high(
    push_service, traffic, news_index, django_capture_on_commit_callbacks
):
    device = web_subscription_create(service=push_service, topics=[traffic], quiet_hours=True)
    with (
        time_machine.travel(datetime.datetime(2026, 11, 26, 23, 30, tzinfo=datetime.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True, push_urgency="urgent")
    [received] = push_service.received_by(device.web_device.registration_id)
    assert received.urgency == "high"


def test_outcomes_are_recorded_per_device(push_service, traffic, news_index, django_capture_on_commit_callbacks):
    gone = web_subscription_create(service=push_service, topics=[traffic])
    expired = web_subscription_create(service=push_service, topics=[traffic])
    busy = web_subscription_create(service=push_service, topics=[traffic])
    fine = web_subscription_create(service=push_service, topics=[traffic])
    push_service.respond(gone.web_device.registration_id, 404)
    push_service.respond(expired.web_device.registration_id, 410)
    push_service.respond(busy.web_device.registration_id, 429, {"Retry-After": "120"})

    start = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    campaign = Campaign.objects.get(page=page)
    outcomes = {d.subscription_id: d for d in Delivery.objects.filter(campaign=campaign)}
    assert outcomes[fine.pk].outcome == Outcome.SENT
    for deactivated in (gone, expired):
        assert outcomes[deactivated.pk].outcome == Outcome.PERMANENT
        deactivated.web_device.refresh_from_db()
        assert deactivated.web_device.active is False
    assert outcomes[busy.pk].outcome == Outcome.TRANSIENT
    assert outcomes[busy.pk].not_before == start + datetime.timedelta(seconds=120)
    assert campaign.deactivated == 2

    from notifications.tasks import deliveries_release_task

    with (
        time_machine.travel(start + datetime.timedelta(seconds=100), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        deliveries_release_task()
    assert push_service.received_by(busy.web_device.registration_id) == []
    with (
        time_machine.travel(start + datetime.timedelta(seconds=121), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        deliveries_release_task()
    assert len(push_service.received_by(busy.web_device.registration_id)) == 1
    campaign.refresh_from_db()
    assert (campaign.sent, campaign.failed, campaign.status) == (2, 2, Campaign.Status.DONE)


def test_server_errors_are_retried_at_most_five_times(
    push_service, traffic, news_index, django_capture_on_commit_callbacks
):
    flaky = web_subscription_create(service=push_service, topics=[traffic])
    push_service.respond(flaky.web_device.registration_id, 500, times=10)
    start = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)

    from notifications.tasks import deliveries_release_task

    for hour in range(1, 8):
        with (
            time_machine.travel(start + datetime.timedelta(hours=hour), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            deliveries_release_task()
    delivery = Delivery.objects.get(campaign__page=page)
    assert (delivery.outcome, delivery.attempts) == (Outcome.TRANSIENT, 5)
    flaky.web_device.refresh_from_db()
    assert flaky.web_device.active is True
    assert Campaign.objects.get(page=page).status == Campaign.Status.DONE


def test_a_payload_error_deactivates_nothing(push_service, traffic, news_index, django_capture_on_commit_callbacks):
    device = web_subscription_create(service=push_service, topics=[traffic])
    push_service.respond(device.web_device.registration_id, 413)
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True)
    delivery = Delivery.objects.get(campaign__page=page)
    assert delivery.outcome == Outcome.PERMANENT
    device.web_device.refresh_from_db()
    assert device.web_device.active is True
    assert device.active is True


def test_workflow_approval_pushes_once(push_service, traffic, news_index, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

    device = web_subscription_create(service=push_service, topics=[traffic])
    editor = get_user_model().objects.create_superuser(username="chef", email="chef@example.org", password="x")
    task = GroupApprovalTask.objects.create(name="Freigabe")
    task.groups.set([Group.objects.create(name="Freigabe")])
    workflow = Workflow.objects.create(name="Redaktion")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    page = NewsPageFactory(parent=news_index, topics=[traffic], push_on_publish=True, publish=False)
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision(user=editor)
        state = workflow.start(page, editor)
    assert Campaign.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        state.current_task_state.task.specific.on_action(state.current_task_state.specific, editor, "approve")
    page.refresh_from_db()
    assert page.live
    assert Campaign.objects.filter(page=page).count() == 1
    assert len(push_service.received_by(device.web_device.registration_id)) == 1


def _followers(push_service, traffic):
    return {
        language: web_subscription_create(service=push_service, topics=[traffic], language=language)
        for language in ("de", "en", "de-ls")
    }


def _received(push_service, followers) -> dict[str, list[str]]:
    return {
        language: [item.payload["title"] for item in push_service.received_by(device.web_device.registration_id)]
        for language, device in followers.items()
    }


def _english_translation(page, locales, *, title: str):
    english = page.copy_for_translation(locales["en"], copy_parents=True)
    english.title = title
    english.save_revision().publish()
    return english


def test_a_translation_published_before_its_source_reaches_only_its_own_language(
    push_service, traffic, news_index, locales, django_capture_on_commit_callbacks
):
    followers = _followers(push_service, traffic)
    german = NewsPageFactory(
        parent=news_index, topics=[traffic], push_on_publish=True, publish=False, title="Sperrung Rathausallee"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _english_translation(german, locales, title="Rathausallee closed")
    assert _received(push_service, followers) == {"de": [], "en": ["Rathausallee closed"], "de-ls": []}

    with django_capture_on_commit_callbacks(execute=True):
        german.save_revision().publish()
    assert _received(push_service, followers) == {
        "de": ["Sperrung Rathausallee"],
        "en": ["Rathausallee closed"],
        "de-ls": ["Sperrung Rathausallee"],
    }
    campaign = Campaign.objects.get(translation_key=german.translation_key)
    assert (campaign.targeted, campaign.sent, campaign.status) == (3, 3, Campaign.Status.DONE)


def test_a_source_published_first_reaches_every_language_without_a_translation_once(
    push_service, traffic, news_index, locales, django_capture_on_commit_callbacks
):
    followers = _followers(push_service, traffic)
    with django_capture_on_commit_callbacks(execute=True):
        german = NewsPageFactory(
            parent=news_index, topics=[traffic], push_on_publish=True, title="Sperrung Rathausallee"
        )
    assert _received(push_service, followers) == {
        "de": ["Sperrung Rathausallee"],
        "en": ["Sperrung Rathausallee"],
        "de-ls": ["Sperrung Rathausallee"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        _english_translation(german, locales, title="Rathausallee closed")
    # Each device gets one push per page: the English followers already had it.
    assert [len(titles) for titles in _received(push_service, followers).values()] == [1, 1, 1]
