"""Idempotency-Key on the academy writes: register, cancel, leave, confirm."""

import pytest
from rest_framework.test import APIClient

from academy.models import Registration
from tests.factories.academy import citizen_create, course_create, session_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(citizen_create())
    return client


@pytest.fixture
def course(academy):
    course = course_create(index=academy, title="Die Stadt-App kennenlernen", capacity=5)
    session_create(course=course)
    return course


def test_registering_twice_with_one_key_replays_the_registration(api, course):
    first = api.post("/api/v1/academy/registrations/", {"course": course.pk}, format="json", HTTP_IDEMPOTENCY_KEY="r")
    second = api.post("/api/v1/academy/registrations/", {"course": course.pk}, format="json", HTTP_IDEMPOTENCY_KEY="r")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert Registration.objects.count() == 1


def test_cancelling_twice_with_one_key_replays_the_cancellation(api, course):
    registration = api.post("/api/v1/academy/registrations/", {"course": course.pk}, format="json").json()
    url = f"/api/v1/academy/registrations/{registration['id']}/cancel/"
    first = api.post(url, HTTP_IDEMPOTENCY_KEY="c")
    second = api.post(url, HTTP_IDEMPOTENCY_KEY="c")
    assert first.status_code == second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert api.post(url, HTTP_IDEMPOTENCY_KEY="other").status_code in (400, 409)
