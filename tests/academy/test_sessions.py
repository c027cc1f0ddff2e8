"""Reminders 24 h before a session, once; session changes."""

import datetime

import pytest
import time_machine

from django.utils import timezone

from academy.models import ParticipantMessage
from academy.services.registrations import registration_create
from academy.services.sessions import reminders_send, session_save
from notifications.models import PersonalNotice
from tests.factories.academy import citizen_create, course_create, session_create, trainer_create

pytestmark = pytest.mark.django_db


def test_reminder_goes_out_once_24_hours_before(academy):
    course = course_create(index=academy)
    session = session_create(course=course, start=timezone.now() + datetime.timedelta(days=3))
    citizen = citizen_create()
    registration_create(course=course.course, user=citizen)
    registration_create(course=course.course, name="Ede", phone="040", registered_by=trainer_create())
    assert reminders_send() == 0
    with time_machine.travel(session.start - datetime.timedelta(hours=23)):
        assert reminders_send() == 2
        assert reminders_send() == 0
    assert PersonalNotice.objects.filter(user=citizen, reference__endswith=f"reminder:{session.pk}").count() == 1
    assert ParticipantMessage.objects.filter(reference=f"reminder:{session.pk}", channel="call").count() == 1


def test_reminder_goes_by_email_and_by_push_to_each_device(academy, push_service, django_capture_on_commit_callbacks):
    from django.core import mail

    from tests.factories.notifications import web_subscription_create

    course = course_create(index=academy)
    session = session_create(course=course, start=timezone.now() + datetime.timedelta(days=3))
    citizen = citizen_create()
    phone = web_subscription_create(service=push_service, user=citizen)
    registration_create(course=course.course, user=citizen)
    mail.outbox.clear()
    with time_machine.travel(session.start - datetime.timedelta(hours=23)):
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_send() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert reminders_send() == 0
    [push] = push_service.received_by(phone.web_device.registration_id)
    assert push.payload["title"] == f"Erinnerung: {course.title}"
    assert [message.to for message in mail.outbox] == [[citizen.email]]
    assert mail.outbox[0].subject == f"Erinnerung: {course.title}"
    notice = PersonalNotice.objects.get(user=citizen, reference__endswith=f"reminder:{session.pk}")
    assert notice.channel == "push+email"


def test_raising_a_session_capacity_promotes(academy):
    from academy.models import CourseFormat

    course = course_create(index=academy, format=CourseFormat.DROP_IN)
    session = session_create(course=course, capacity=1)
    registration_create(course=course.course, session=session, user=citizen_create())
    waiting = registration_create(course=course.course, session=session, user=citizen_create())
    session_save(
        course=course.course,
        session=session,
        start=session.start,
        end=session.end,
        location_id=session.location_id,
        capacity=2,
    )
    waiting.refresh_from_db()
    assert waiting.status == "held"
