"""Registration rules: seats, waiting list, companions, phone callers, cutoff, bad input."""

import datetime

import pytest
import time_machine

from django.core import mail
from django.utils import timezone

from academy.models import CourseFormat, ParticipantMessage, Registration
from academy.services.registrations import (
    RegistrationError,
    holds_expire,
    pool_capacity_change,
    registration_cancel,
    registration_create,
    registration_hold_confirm,
    registration_waitlist_leave,
)
from tests.factories.academy import citizen_create, course_create, session_create, trainer_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def series(academy):
    course = course_create(index=academy, capacity=2)
    session_create(course=course)
    session_create(course=course, start=timezone.now() + datetime.timedelta(days=14))
    return course


def test_registration_takes_a_place_and_emails_a_calendar(series, django_capture_on_commit_callbacks):
    citizen = citizen_create()
    with django_capture_on_commit_callbacks(execute=True):
        registration = registration_create(course=series.course, user=citizen)
    assert registration.status == Registration.Status.CONFIRMED
    confirmation = next(message for message in mail.outbox if message.to == [citizen.email])
    assert confirmation.attachments[0][0] == "kurs.ics"
    assert "/akademie/link/cancel/" in confirmation.body


def test_full_course_puts_people_on_the_waiting_list_in_order(series):
    people = [citizen_create() for _ in range(4)]
    registrations = [registration_create(course=series.course, user=person) for person in people]
    assert [r.status for r in registrations] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert [r.waitlist_position for r in registrations[2:]] == [1, 2]


def test_companion_takes_a_second_seat(series):
    with_companion = registration_create(course=series.course, user=citizen_create(), with_companion=True)
    assert with_companion.seats == 2
    assert registration_create(course=series.course, user=citizen_create()).status == Registration.Status.WAITING


def test_companion_waits_when_only_one_seat_is_free(series):
    registration_create(course=series.course, user=citizen_create())
    registration = registration_create(course=series.course, user=citizen_create(), with_companion=True)
    assert registration.status == Registration.Status.WAITING


def test_cancel_promotes_the_next_person_with_a_hold(series):
    first, _second, waiting = (registration_create(course=series.course, user=citizen_create()) for _ in range(3))
    registration_cancel(registration=first)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.HELD
    assert waiting.hold_until - timezone.now() <= datetime.timedelta(hours=24)
    assert ParticipantMessage.objects.filter(registration=waiting, reference="promoted").exists()
    registration_hold_confirm(registration=waiting)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_raising_capacity_promotes_waiting_people(series):
    for _ in range(4):
        registration_create(course=series.course, user=citizen_create())
    promoted = pool_capacity_change(course_id=series.course_id, session_id=None, capacity=3)
    assert [r.waitlist_position for r in promoted] == [1]


def test_hold_expiry_promotes_the_next_person(series):
    registrations = [registration_create(course=series.course, user=citizen_create()) for _ in range(4)]
    registration_cancel(registration=registrations[0])
    held = Registration.objects.get(pk=registrations[2].pk)
    with time_machine.travel(held.hold_until + datetime.timedelta(minutes=1)):
        assert holds_expire() == 1
        assert holds_expire() == 0
        with pytest.raises(RegistrationError):
            registration_hold_confirm(registration=held)
    held.refresh_from_db()
    assert held.status == Registration.Status.EXPIRED
    assert Registration.objects.get(pk=registrations[3].pk).status == Registration.Status.HELD
    seated = Registration.objects.filter(course=series.course, status__in=Registration.SEATED).count()
    assert seated == 2


def test_hold_is_shorter_when_the_session_is_soon(academy):
    course = course_create(index=academy, capacity=1, cutoff_hours=2)
    session_create(course=course, start=timezone.now() + datetime.timedelta(hours=10))
    first = registration_create(course=course.course, user=citizen_create())
    second = registration_create(course=course.course, user=citizen_create())
    registration_cancel(registration=first)
    second.refresh_from_db()
    assert second.hold_until - timezone.now() <= datetime.timedelta(hours=5)


def test_leaving_the_waiting_list(series):
    for _ in range(2):
        registration_create(course=series.course, user=citizen_create())
    waiting = registration_create(course=series.course, user=citizen_create())
    registration_waitlist_leave(registration=waiting)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CANCELLED


def test_registration_closes_at_the_cutoff(academy):
    course = course_create(index=academy, cutoff_hours=24)
    session = session_create(course=course, start=timezone.now() + datetime.timedelta(hours=30))
    registration_create(course=course.course, user=citizen_create())
    late = session.start - datetime.timedelta(hours=23)
    with time_machine.travel(late), pytest.raises(RegistrationError) as error:
        registration_create(course=course.course, user=citizen_create())
    assert error.value.code == "closed"
    assert Registration.objects.filter(course=course.course).count() == 1


def test_registering_twice_is_refused_and_keeps_the_first(series):
    citizen = citizen_create()
    first = registration_create(course=series.course, user=citizen)
    with pytest.raises(RegistrationError) as error:
        registration_create(course=series.course, user=citizen)
    assert error.value.code == "duplicate"
    assert list(Registration.objects.filter(user=citizen)) == [first]


def test_drop_in_needs_a_session_of_its_own_course(academy):
    course = course_create(index=academy, format=CourseFormat.DROP_IN)
    with pytest.raises(RegistrationError) as error:
        registration_create(course=course.course, user=citizen_create())
    assert error.value.code == "session_required"


def test_consultation_slot_has_one_place(academy):
    from academy.services.sessions import session_save

    course = course_create(index=academy, format=CourseFormat.CONSULTATION)
    template = session_create(course=course)
    slot = session_save(
        course=course.course, start=template.start, end=template.end, location_id=template.location_id, capacity=5
    )
    assert slot.capacity == 1
    assert registration_create(course=course.course, session=slot, user=citizen_create()).status == "confirmed"
    assert registration_create(course=course.course, session=slot, user=citizen_create()).status == "waiting"


def test_staff_register_a_caller_by_phone_who_lands_on_the_call_list(series):
    staff = trainer_create()
    registration = registration_create(
        course=series.course, name="Erna Muster", phone="040 123", note="ruft morgens an", registered_by=staff
    )
    assert registration.status == Registration.Status.CONFIRMED
    message = ParticipantMessage.objects.get(registration=registration)
    assert message.channel == ParticipantMessage.Channel.CALL


def test_caller_needs_a_name_and_a_phone_or_email(series):
    staff = trainer_create()
    with pytest.raises(RegistrationError) as error:
        registration_create(course=series.course, name="Erna", registered_by=staff)
    assert error.value.field == "phone"
    with pytest.raises(RegistrationError):
        registration_create(course=series.course, phone="040", registered_by=staff)
    assert not Registration.objects.exists()


def test_caller_with_email_gets_the_confirmation_by_email(series, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(course=series.course, name="Erna", email="erna@example.org", registered_by=trainer_create())
    assert any(message.to == ["erna@example.org"] for message in mail.outbox)
