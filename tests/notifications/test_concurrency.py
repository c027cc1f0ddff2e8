"""Two publish events for the same page, at the same moment, on PostgreSQL."""

import threading

import pytest

from django.db import connection, connections

from notifications.models import Campaign
from notifications.services import campaign_create_for_page
from tests.factories.news import NewsPageFactory, news_index_create
from tests.factories.notifications import TopicFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def publish_twice_at_once(page) -> list:
    barrier = threading.Barrier(2)
    results, errors = [], []

    def publish_event():
        try:
            barrier.wait(timeout=10)
            results.append(campaign_create_for_page(page=page, revision=page.live_revision))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish_event) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """The flush after a transactional test recreates content types with new ids."""
    yield
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture
def live_page(postgres, home):
    topic = TopicFactory(slug="verkehr-baustellen")
    index = news_index_create(parent=home)
    # push_on_publish is off while the factory publishes, so only our two events count.
    page = NewsPageFactory(parent=index, topics=[topic], push_on_publish=False)
    page.push_on_publish = True
    page.save()
    return page


def test_two_publish_events_for_the_same_page_create_one_campaign(live_page):
    results = publish_twice_at_once(live_page)
    assert Campaign.objects.filter(page=live_page).count() == 1
    assert sorted(result is None for result in results) == [False, True]


def test_control_without_the_unique_constraint_the_race_creates_two_campaigns(live_page):
    constraint = next(c for c in Campaign._meta.constraints if c.name == "campaign_once_per_page_and_round")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Campaign, constraint)
    try:
        publish_twice_at_once(live_page)
        assert Campaign.objects.filter(page=live_page).count() == 2
    finally:
        Campaign.objects.all().delete()
        with connection.schema_editor() as editor:
            editor.add_constraint(Campaign, constraint)
