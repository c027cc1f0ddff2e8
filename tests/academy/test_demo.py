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
    assert all(card.page.trainers.filter(email="trainer@demo.norderstedt.de").exists() for card in cards)
    assert all(card.next_session.start < timezone.now() + datetime.timedelta(weeks=8) for card in cards)
    states = {card.page.title: card.availability.state for card in cards}
    assert states["Sicher online bezahlen"] == "waitlist"
    assert Registration.objects.filter(status="waiting").count() == 1
    consultation = CoursePage.objects.get(slug="digitale-sprechstunde")
    assert consultation.format == CourseFormat.CONSULTATION
    assert set(Session.objects.filter(course=consultation).values_list("capacity", flat=True)) == {1}
