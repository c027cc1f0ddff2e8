"""Citizen pages: the academy list, a course page, registering, Mein Konto, email links."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from academy.links import registration_link, registration_token
from academy.models import CourseFormat, Registration
from academy.services.registrations import registration_cancel, registration_create
from tests.factories.academy import citizen_create, course_create, session_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(academy):
    course = course_create(index=academy, title="Smartphone-Grundlagen", capacity=1)
    session_create(course=course)
    return course


def test_index_lists_courses_with_their_availability(client, academy, course):
    full = course_create(index=academy, title="Sicher online bezahlen", capacity=1)
    session_create(course=full)
    registration_create(course=full.course, user=citizen_create())
    registration_create(course=full.course, user=citizen_create())
    body = client.get(academy.url).content.decode()
    assert "Smartphone-Grundlagen" in body and "Noch 1 Platz frei" in body
    assert "Ausgebucht – Warteliste offen" in body


def test_index_filters_by_level_and_access(client, academy, course):
    advanced = course_create(index=academy, title="Für Profis", level="advanced", large_print=True)
    session_create(course=advanced)
    body = client.get(academy.url, {"stufe": "advanced"}).content.decode()
    assert "Für Profis" in body and "Smartphone-Grundlagen" not in body
    body = client.get(academy.url, {"barrierefrei": "grossdruck"}).content.decode()
    assert "Für Profis" in body and "Smartphone-Grundlagen" not in body


def test_register_from_the_course_page_and_cancel_in_my_account(client, course):
    citizen = citizen_create()
    client.force_login(citizen)
    assert "Verbindlich anmelden" in client.get(course.url).content.decode()
    response = client.post(reverse("academy:register", args=[course.pk]), {"with_companion": ""})
    assert response.status_code == 302
    registration = Registration.objects.get(user=citizen)
    assert registration.status == "confirmed"
    account = client.get(reverse("accounts:my_account")).content.decode()
    assert "Smartphone-Grundlagen" in account and "Absagen" in account
    client.post(reverse("academy:my_cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_waiting_list_position_in_my_account_and_leave_it(client, course):
    registration_create(course=course.course, user=citizen_create())
    citizen = citizen_create()
    client.force_login(citizen)
    client.post(reverse("academy:register", args=[course.pk]))
    registration = Registration.objects.get(user=citizen)
    assert "Warteliste, Platz 1" in client.get(reverse("accounts:my_account")).content.decode()
    client.post(reverse("academy:my_cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_nobody_else_can_cancel_my_registration(client, course):
    registration = registration_create(course=course.course, user=citizen_create())
    client.force_login(citizen_create())
    assert client.post(reverse("academy:my_cancel", args=[registration.pk])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_email_link_cancels_only_on_post(client, course):
    registration = registration_create(course=course.course, user=citizen_create())
    url = registration_link(registration=registration, action="cancel")
    assert client.get(url).status_code == 200
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    client.post(url)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_email_link_confirms_a_held_place(client, course):
    first = registration_create(course=course.course, user=citizen_create())
    waiting = registration_create(course=course.course, user=citizen_create())
    registration_cancel(registration=first)
    client.post(registration_link(registration=waiting, action="confirm"))
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_tampered_or_wrong_action_links_are_refused(client, course):
    registration = registration_create(course=course.course, user=citizen_create())
    token = registration_token(registration=registration, action="confirm")
    assert client.post(reverse("academy:registration_link", args=["cancel", token])).status_code == 404
    assert client.post(reverse("academy:registration_link", args=["cancel", token + "x"])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_registering_for_an_unknown_session_loses_nothing(client, academy):
    drop_in = course_create(index=academy, format=CourseFormat.DROP_IN)
    session_create(course=drop_in)
    client.force_login(citizen_create())
    response = client.post(reverse("academy:register", args=[drop_in.pk]), {"session": 999999}, follow=True)
    assert "Diesen Termin gibt es nicht." in response.content.decode()
    assert not Registration.objects.exists()


def test_drop_in_course_page_offers_each_session(client, academy):
    drop_in = course_create(index=academy, title="Offener Treff", format=CourseFormat.DROP_IN)
    first = session_create(course=drop_in)
    session_create(course=drop_in, start=first.start + datetime.timedelta(days=7))
    client.force_login(citizen_create())
    body = client.get(drop_in.url).content.decode()
    assert body.count("Diesen Termin buchen") == 2


def test_home_page_shows_upcoming_courses(client, home, course):
    home.save_revision().publish()
    body = client.get(home.url).content.decode()
    assert "Nächste Kurse der Digitalakademie" in body and "Smartphone-Grundlagen" in body


def test_closed_course_says_so(client, academy):
    soon = course_create(index=academy, title="Morgen", cutoff_hours=48)
    session_create(course=soon, start=timezone.now() + datetime.timedelta(hours=20))
    client.force_login(citizen_create())
    assert "Die Anmeldung ist geschlossen." in client.get(soon.url).content.decode()
