"""Trainer tools in the Wagtail admin, and the permission matrix between trainers."""

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from academy.models import Attendance, ParticipantMessage, Registration, Session
from academy.services.registrations import registration_create
from notifications.models import PersonalNotice
from tests.factories.academy import citizen_create, course_create, session_create, trainer_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff_groups, academy):
    trainer_a, trainer_b = trainer_create(), trainer_create()
    course_a = course_create(index=academy, title="Kurs A", trainers=[trainer_a])
    course_b = course_create(index=academy, title="Kurs B", trainers=[trainer_b])
    session_a, session_b = session_create(course=course_a), session_create(course=course_b)
    registration_b = registration_create(course=course_b.course, user=citizen_create())
    return {
        "trainer_a": trainer_a,
        "course_a": course_a,
        "course_b": course_b,
        "session_a": session_a,
        "session_b": session_b,
        "registration_b": registration_b,
    }


def _foreign_urls(world) -> list[tuple[str, str]]:
    session, course, page = world["session_b"].pk, world["course_b"].course_id, world["course_b"].pk
    return [
        ("get", reverse("academy_admin:session_detail", args=[session])),
        ("get", reverse("academy_admin:session_checkin", args=[session])),
        ("post", reverse("academy_admin:session_checkin", args=[session])),
        ("get", reverse("academy_admin:session_edit", args=[session])),
        ("post", reverse("academy_admin:session_cancel", args=[session])),
        ("post", reverse("academy_admin:session_message", args=[session])),
        ("get", reverse("academy_admin:session_create", args=[course])),
        ("get", reverse("academy_admin:phone_registration", args=[course])),
        ("post", reverse("academy_admin:registration_cancel", args=[world["registration_b"].pk])),
        ("post", reverse("academy_admin:registration_confirm", args=[world["registration_b"].pk])),
        ("get", reverse("wagtailadmin_pages:edit", args=[page])),
    ]


def test_trainer_gets_403_or_404_on_every_view_of_another_trainers_course(client, world):
    client.force_login(world["trainer_a"])
    for method, url in _foreign_urls(world):
        response = getattr(client, method)(url, {"message": "x", "subject": "x", "body": "x"})
        assert response.status_code in (403, 404), (method, url, response.status_code)
    client.post(reverse("wagtailadmin_pages:delete", args=[world["course_b"].pk]))
    world["session_b"].refresh_from_db()
    assert world["session_b"].status == Session.Status.SCHEDULED
    assert world["course_b"].__class__.objects.filter(pk=world["course_b"].pk).exists()
    assert Registration.objects.get(pk=world["registration_b"].pk).status == "confirmed"


def test_trainer_works_on_their_own_course(client, world):
    client.force_login(world["trainer_a"])
    session, course, page = world["session_a"].pk, world["course_a"].course_id, world["course_a"].pk
    for url in [
        reverse("academy_admin:sessions"),
        reverse("academy_admin:session_detail", args=[session]),
        reverse("academy_admin:session_checkin", args=[session]),
        reverse("academy_admin:session_create", args=[course]),
        reverse("wagtailadmin_pages:edit", args=[page]),
    ]:
        assert client.get(url).status_code == 200, url


def test_trainer_lists_only_their_own_sessions_and_courses(client, world):
    client.force_login(world["trainer_a"])
    body = client.get(reverse("academy_admin:sessions")).content.decode()
    assert "Kurs A" in body and "Kurs B" not in body
    explorer = client.get(reverse("wagtailadmin_explore", args=[world["course_a"].get_parent().pk])).content.decode()
    assert "Kurs A" in explorer and "Kurs B" not in explorer


def test_redaktion_manages_every_course(client, world):
    editor = get_user_model().objects.create_user(username="red", email="red@example.org", is_staff=True)
    editor.groups.add(Group.objects.get(name="Redaktion"))
    client.force_login(editor)
    assert client.get(reverse("academy_admin:session_detail", args=[world["session_b"].pk])).status_code == 200
    assert client.get(reverse("academy_admin:session_detail", args=[world["session_a"].pk])).status_code == 200


def test_staff_without_the_trainer_group_get_403(client, world):
    other = get_user_model().objects.create_user(username="verleih", email="v@example.org", is_staff=True)
    other.groups.add(Group.objects.get(name="Verleih"))
    client.force_login(other)
    assert client.get(reverse("academy_admin:sessions")).status_code == 403


def test_checkin_records_attendance(client, world):
    registration = registration_create(course=world["course_a"].course, user=citizen_create())
    client.force_login(world["trainer_a"])
    url = reverse("academy_admin:session_checkin", args=[world["session_a"].pk])
    response = client.post(url, {"registration": registration.pk, "present": "1"})
    assert response.status_code == 302
    assert Attendance.objects.get(registration=registration, session=world["session_a"]).present
    client.post(url, {"registration": registration.pk, "present": "0"})
    assert not Attendance.objects.get(registration=registration).present


def test_printable_participant_list_shows_access_needs(client, world):
    registration_create(
        course=world["course_a"].course,
        user=citizen_create(),
        access_needs=["hearing"],
        access_needs_text="sitzt gern vorn",
    )
    client.force_login(world["trainer_a"])
    body = client.get(reverse("academy_admin:session_detail", args=[world["session_a"].pk])).content.decode()
    assert "Hörhilfe" in body and "sitzt gern vorn" in body


def test_cancelling_a_session_notifies_everyone(client, world, django_capture_on_commit_callbacks):
    from django.core import mail

    course = world["course_a"].course
    citizen = citizen_create()
    registration_create(course=course, user=citizen)
    staff = world["trainer_a"]
    caller_email = registration_create(course=course, name="Erna", email="erna@example.org", registered_by=staff)
    caller_phone = registration_create(course=course, name="Ede", phone="040 1", registered_by=staff)
    client.force_login(staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("academy_admin:session_cancel", args=[world["session_a"].pk]), {"message": "Der Raum ist krank."}
        )
    assert response.status_code == 302
    reference = f"session-cancelled:{world['session_a'].pk}"
    assert PersonalNotice.objects.get(user=citizen, reference__endswith=reference).email_always
    assert any(message.to == [citizen.email] and "Raum" in message.body for message in mail.outbox)
    assert any(message.to == ["erna@example.org"] and "Raum" in message.body for message in mail.outbox)
    assert ParticipantMessage.objects.filter(registration=caller_phone, reference=reference, channel="call").exists()
    assert ParticipantMessage.objects.filter(registration=caller_email, reference=reference, channel="email").exists()
    calls = client.get(reverse("academy_admin:calls")).content.decode()
    assert "Ede" in calls


def test_message_to_all_participants(client, world):
    citizens = [citizen_create() for _ in range(3)]
    for citizen in citizens:
        registration_create(course=world["course_a"].course, user=citizen)
    client.force_login(world["trainer_a"])
    client.post(
        reverse("academy_admin:session_message", args=[world["session_a"].pk]),
        {"subject": "Raumwechsel", "body": "Wir sind heute in Raum 2."},
    )
    assert PersonalNotice.objects.filter(title="Raumwechsel").count() == 3


def test_staff_phone_registration_form(client, world):
    client.force_login(world["trainer_a"])
    response = client.post(
        reverse("academy_admin:phone_registration", args=[world["course_a"].course_id]),
        {"name": "Erna Muster", "phone": "040 99", "note": "kommt mit Rollator", "access_needs": ["wheelchair"]},
    )
    assert response.status_code == 302
    registration = Registration.objects.get(name="Erna Muster")
    assert registration.registered_by == world["trainer_a"]
    assert registration.access_needs == ["wheelchair"]


def test_staff_confirm_a_held_place_for_a_caller(client, world):
    from academy.services.registrations import registration_cancel

    course = world["course_a"].course
    course.capacity = 1
    course.save()
    first = registration_create(course=course, user=citizen_create())
    caller = registration_create(course=course, name="Ede", phone="040 1", registered_by=world["trainer_a"])
    registration_cancel(registration=first)
    caller.refresh_from_db()
    assert caller.status == "held"
    assert ParticipantMessage.objects.filter(registration=caller, reference="promoted", channel="call").exists()
    client.force_login(world["trainer_a"])
    client.post(reverse("academy_admin:registration_confirm", args=[caller.pk]))
    caller.refresh_from_db()
    assert caller.status == "confirmed"
