"""Everything that runs by itself is scheduled by ``migrate``, not by the demo.

Written first against main, where nothing ran ``publish_scheduled`` (scheduled
pages never went live) and the ideas job existed only after ``seed_demo``.
"""

import datetime

import pytest
import time_machine
from django_q.models import Schedule

from django.utils import timezone
from django.utils.module_loading import import_string

from cms.checks import schedules_check, site_url_check
from cms.schedules import JOBS, PUBLISH_SCHEDULED, schedules_ensure
from news.models import NewsPage
from notifications.models import Campaign
from tests.factories.news import news_index_create
from tests.factories.notifications import TopicFactory

pytestmark = pytest.mark.django_db


def _run_due_schedules() -> list[str]:
    """What django-q2's scheduler does each 30 s: run every schedule that is due."""
    due = list(Schedule.objects.exclude(repeats=0).filter(next_run__lte=timezone.now()))
    for schedule in due:
        import_string(schedule.func)()
    return [schedule.func for schedule in due]


def test_migrate_schedules_every_job_once_without_the_demo():
    for job in JOBS:
        assert Schedule.objects.filter(func=job.func).count() == 1, job.func
    assert Schedule.objects.filter(func="ideas.tasks.rounds_close_due").exists()


def test_schedules_ensure_is_idempotent_and_removes_duplicates_of_earlier_versions():
    rentals = "rentals.tasks.release_no_shows_task"
    kept = Schedule.objects.get(func=rentals)
    Schedule.objects.create(func=rentals, name="rentals: alt", schedule_type=Schedule.MINUTES, minutes=5)
    next_run = kept.next_run
    assert schedules_ensure() == 0
    assert schedules_ensure() == 0
    rows = Schedule.objects.filter(func=rentals)
    assert [row.pk for row in rows] == [kept.pk]
    assert rows.get().next_run == next_run  # a restart does not postpone a job
    Schedule.objects.filter(func=rentals).delete()
    assert schedules_ensure() == 1 and Schedule.objects.filter(func=rentals).count() == 1


def test_deploy_check_names_a_missing_schedule():
    assert schedules_check(None, databases=["default"]) == []
    Schedule.objects.filter(func="ideas.tasks.rounds_close_due").delete()
    warnings = schedules_check(None, databases=["default"])
    assert [warning.id for warning in warnings] == ["cms.W002"]
    assert "ideas.tasks.rounds_close_due" in warnings[0].msg
    schedules_ensure()
    assert schedules_check(None, databases=["default"]) == []


@pytest.mark.parametrize(
    ("site_url", "warns"),
    [
        ("https://go.norderstedt.de", False),
        ("http://127.0.0.1:8000", False),
        ("https://go.norderstedt.de:8443", True),
        ("http://go.norderstedt.de:443", True),
        ("https://www.norderstedt.de/go", True),
    ],
)
def test_deploy_check_warns_about_a_site_url_wagtail_cannot_write(settings, site_url, warns):
    settings.SITE_URL = site_url
    assert [warning.id for warning in site_url_check(None)] == (["cms.W003"] if warns else [])


@pytest.fixture
def scheduled_news(home, django_capture_on_commit_callbacks):
    """A news page an editor published with a go-live time a minute ahead."""
    topic = TopicFactory(slug="verkehr")
    index = news_index_create(parent=home)
    page = NewsPage(title="Baustelle Ulzburger Straße", slug="baustelle", teaser="Ab Montag.", push_on_publish=True)
    index.add_child(instance=page)
    page.topics.set([topic])
    go_live = (timezone.now() + datetime.timedelta(seconds=60)).replace(microsecond=0)
    page.go_live_at = go_live
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    page.refresh_from_db()
    return page, go_live


def test_a_scheduled_page_goes_live_through_its_schedules(client, scheduled_news):
    page, go_live = scheduled_news
    assert not page.live and client.get(page.url).status_code == 404
    with time_machine.travel(go_live + datetime.timedelta(seconds=61), tick=False):
        ran = _run_due_schedules()
    assert PUBLISH_SCHEDULED in ran
    page.refresh_from_db()
    assert page.live and client.get(page.url).status_code == 200
    assert Campaign.objects.filter(page=page).count() == 1
    with time_machine.travel(go_live + datetime.timedelta(seconds=122), tick=False):
        _run_due_schedules()  # the next minute publishes nothing twice
    assert Campaign.objects.filter(page=page).count() == 1


def test_an_approved_go_live_time_gets_a_one_off_run_at_that_time(scheduled_news):
    page, go_live = scheduled_news
    once = Schedule.objects.get(schedule_type=Schedule.ONCE, func=PUBLISH_SCHEDULED)
    assert once.next_run == go_live and once.repeats < 0  # django-q2 deletes it after the run
    Schedule.objects.filter(schedule_type=Schedule.MINUTES, func=PUBLISH_SCHEDULED).update(
        next_run=go_live + datetime.timedelta(minutes=1)
    )
    with time_machine.travel(go_live + datetime.timedelta(seconds=1), tick=False):
        _run_due_schedules()
    page.refresh_from_db()
    assert page.live
