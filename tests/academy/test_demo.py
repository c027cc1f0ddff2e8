"""The demo: six upcoming courses with trainers, one full with a waiting list, idempotent."""

import datetime

import pytest

from django.core.management import call_command
from django.utils import timezone

from academy.models import CourseFormat, CoursePage, Registration, Session
from academy.selectors import courses_upcoming

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_academy_twice_without_duplicates(locales):
    call_command("seed_demo")
    call_command("seed_demo")
    cards = courses_upcoming(locale=locales["de"])
    assert len(cards) >= 6
    assert all(card.course.trainers.filter(email="trainer@demo.norderstedt.de").exists() for card in cards)
    assert all(card.next_session.start < timezone.now() + datetime.timedelta(weeks=8) for card in cards)
    states = {card.page.title: card.availability.state for card in cards}
    assert states["Sicher online bezahlen"] == "waitlist"
    assert Registration.objects.filter(status="waiting").count() == 1
    consultation = CoursePage.objects.get(slug="digitale-sprechstunde")
    assert consultation.course.format == CourseFormat.CONSULTATION
    assert set(Session.objects.filter(course=consultation.course).values_list("capacity", flat=True)) == {1}


def test_demo_walkthrough_waiting_list_promotion_by_raising_capacity(locales, client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from academy.services.registrations import registration_create, registration_hold_confirm

    call_command("seed_demo")
    course = CoursePage.objects.get(slug="sicher-online-bezahlen").course
    berta = get_user_model().objects.get(email="buergerin@demo.norderstedt.de")
    registration = registration_create(course=course, user=berta)
    assert registration.status == "waiting"
    client.force_login(get_user_model().objects.get(email="redaktion@demo.norderstedt.de"))
    response = client.post(
        reverse("wagtailsnippets_academy_course:edit", args=[course.pk]),
        {"title": course.title, "format": course.format, "status": "offered", "capacity": 5, "cutoff_hours": 24},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == "held"
    registration_hold_confirm(registration=registration)
    registration.refresh_from_db()
    assert registration.status == "confirmed"
