"""Calendars parse back with icalendar; certificates need the attendance share."""

import datetime

import pytest
from icalendar import Calendar

from django.urls import reverse
from django.utils import timezone

from academy.calendar import course_calendar
from academy.selectors import certificate_data
from academy.services.registrations import registration_create
from academy.services.sessions import attendance_record
from tests.factories.academy import citizen_create, course_create, session_create, trainer_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_with_four_sessions(academy):
    course = course_create(index=academy, title="Videotelefonie mit der Familie")
    start = timezone.now() + datetime.timedelta(days=3)
    sessions = [session_create(course=course, start=start + datetime.timedelta(days=7 * n)) for n in range(4)]
    return course, sessions


def test_course_calendar_round_trips(course_with_four_sessions):
    course, sessions = course_with_four_sessions
    parsed = Calendar.from_ical(course_calendar(course=course.course))
    events = parsed.walk("VEVENT")
    assert len(events) == 4
    assert [event.decoded("dtstart") for event in events] == [s.start.replace(microsecond=0) for s in sessions]
    assert str(events[0]["summary"]) == "Videotelefonie mit der Familie"
    assert len({str(event["uid"]) for event in events}) == 4


def test_session_calendar_and_feed_download(client, course_with_four_sessions, academy):
    course, sessions = course_with_four_sessions
    response = client.get(reverse("academy:session_calendar", args=[sessions[0].pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 1
    feed = client.get(reverse("academy:feed_calendar"))
    assert len(Calendar.from_ical(feed.content).walk("VEVENT")) == 4
    course_file = client.get(reverse("academy:course_calendar", args=[course.pk]))
    assert len(Calendar.from_ical(course_file.content).walk("VEVENT")) == 4


def test_cancelled_session_is_marked_cancelled_in_the_calendar(course_with_four_sessions):
    from academy.services.sessions import session_cancel

    course, sessions = course_with_four_sessions
    session_cancel(session=sessions[1], message="Krank")
    events = Calendar.from_ical(course_calendar(course=course.course)).walk("VEVENT")
    assert str(events[1]["status"]) == "CANCELLED"


@pytest.mark.parametrize(("attended", "eligible"), [(2, False), (3, True), (4, True)])
def test_certificate_needs_three_quarters_of_the_sessions(course_with_four_sessions, attended, eligible):
    course, sessions = course_with_four_sessions
    registration = registration_create(course=course.course, user=citizen_create())
    trainer = trainer_create()
    for session in sessions[:attended]:
        attendance_record(session=session, registration=registration, present=True, recorded_by=trainer)
    assert (certificate_data(registration=registration) is not None) is eligible


def test_certificate_share_is_configurable(course_with_four_sessions, settings):
    settings.ACADEMY_CERTIFICATE_SHARE = 0.5
    course, sessions = course_with_four_sessions
    registration = registration_create(course=course.course, user=citizen_create())
    for session in sessions[:2]:
        attendance_record(session=session, registration=registration, present=True, recorded_by=trainer_create())
    assert certificate_data(registration=registration) is not None


def test_certificate_download_from_my_account(client, course_with_four_sessions):
    course, sessions = course_with_four_sessions
    citizen = citizen_create()
    registration = registration_create(course=course.course, user=citizen)
    client.force_login(citizen)
    url = reverse("academy:certificate", args=[registration.pk])
    assert client.get(url).status_code == 404
    for session in sessions:
        attendance_record(session=session, registration=registration, present=True, recorded_by=trainer_create())
    assert "Teilnahmebescheinigung (PDF)" in client.get(reverse("accounts:my_account")).content.decode()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
