"""A citizen's registrations in the GDPR export; deleting the account frees the place for the next person."""

import datetime

import pytest

from django.utils import timezone

from academy.models import Registration
from academy.services.registrations import registration_create
from accounts.services import account_delete, account_export
from tests.factories.academy import citizen_create, course_create, session_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(academy):
    course = course_create(index=academy, capacity=1)
    session_create(course=course, start=timezone.now() + datetime.timedelta(days=7))
    return course


def test_export_lists_the_citizens_registrations(series):
    citizen = citizen_create()
    registration_create(course=series.course, user=citizen, with_companion=False)
    exported = account_export(user=citizen)["academy_registrations"]
    assert [entry["course"] for entry in exported] == [series.title]
    assert exported[0]["status"] == Registration.Status.CONFIRMED


def test_deleting_the_account_promotes_the_next_person(series):
    leaving, waiting = citizen_create(), citizen_create()
    registration_create(course=series.course, user=leaving)
    queued = registration_create(course=series.course, user=waiting)
    assert queued.status == Registration.Status.WAITING
    account_delete(user=leaving)
    queued.refresh_from_db()
    assert queued.status == Registration.Status.HELD
    assert not Registration.objects.filter(user_id=leaving.pk).exists()


def test_export_names_the_session_of_a_drop_in_registration(academy):
    from academy.models import CourseFormat

    drop_in = course_create(index=academy, format=CourseFormat.DROP_IN)
    session = session_create(course=drop_in)
    citizen = citizen_create()
    registration_create(course=drop_in.course, session=session, user=citizen)
    [entry] = account_export(user=citizen)["academy_registrations"]
    assert entry["session_starts_at"] == session.start.isoformat()
