"""Publishing a course page pushes to its topics through the same campaign engine as news."""

import pytest

from notifications.models import Campaign
from tests.factories.academy import academy_index_create, course_create
from tests.factories.notifications import web_subscription_create

pytestmark = pytest.mark.django_db


def test_publishing_a_course_pushes_once_to_followers_of_its_topics(
    push_service, home, park, traffic, django_capture_on_commit_callbacks
):
    follower = web_subscription_create(service=push_service, topics=[park])
    bystander = web_subscription_create(service=push_service, topics=[traffic])
    academy = academy_index_create(parent=home)
    with django_capture_on_commit_callbacks(execute=True):
        course = course_create(index=academy, title="Smartphone-Grundlagen", topics=[park], push_on_publish=True)

    campaign = Campaign.objects.get(page=course)
    assert (campaign.targeted, campaign.sent) == (1, 1)
    [received] = push_service.received_by(follower.web_device.registration_id)
    assert received.payload["title"] == "Smartphone-Grundlagen"
    assert received.payload["url"].endswith(course.url)
    assert push_service.received_by(bystander.web_device.registration_id) == []
