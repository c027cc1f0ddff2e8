"""API: courses with free places, register, cancel, leave, confirm, my registrations."""

import pytest
from rest_framework.test import APIClient

from academy.models import CourseFormat, Registration
from academy.services.registrations import registration_cancel, registration_create
from tests.api_schema import api_schema, call_and_validate
from tests.factories.academy import citizen_create, course_create, session_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def course(academy):
    course = course_create(index=academy, title="Die Stadt-App kennenlernen", capacity=1)
    session_create(course=course)
    return course


def test_course_list_shows_free_places(api, course):
    response = api.get("/api/v1/academy/courses/")
    assert response.status_code == 200
    [item] = response.json()
    assert item["title"] == "Die Stadt-App kennenlernen"
    assert item["availability"] == {"state": "free", "free_places": 1, "waiting": 0, "label": "Noch 1 Platz frei"}


def test_course_list_filters_and_rejects_bad_dates(api, course):
    assert api.get("/api/v1/academy/courses/", {"level": "advanced"}).json() == []
    response = api.get("/api/v1/academy/courses/", {"from": "morgen"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_drop_in_sessions_carry_their_own_availability(api, academy):
    drop_in = course_create(index=academy, format=CourseFormat.DROP_IN)
    session = session_create(course=drop_in, capacity=3)
    item = api.get(f"/api/v1/academy/courses/{drop_in.pk}/").json()
    assert item["sessions"][0]["id"] == session.pk
    assert item["sessions"][0]["availability"]["free_places"] == 3


def test_register_needs_sign_in(api, course):
    response = api.post("/api/v1/academy/registrations/", {"course": course.pk}, format="json")
    assert response.status_code in (401, 403)


def test_register_then_waitlist_then_confirm_hold(api, course):
    first = registration_create(course=course.course, user=citizen_create())
    citizen = citizen_create()
    api.force_authenticate(citizen)
    response = api.post("/api/v1/academy/registrations/", {"course": course.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "waiting" and response.json()["waitlist_rank"] == 1
    registration_cancel(registration=first)
    mine = api.get("/api/v1/academy/registrations/mine/").json()["results"]
    assert mine[0]["status"] == "held"
    confirmed = api.post(f"/api/v1/academy/registrations/{mine[0]['id']}/confirm/")
    assert confirmed.json()["status"] == "confirmed"


def test_register_twice_gives_a_clear_error(api, course):
    citizen = citizen_create()
    api.force_authenticate(citizen)
    api.post("/api/v1/academy/registrations/", {"course": course.pk}, format="json")
    response = api.post("/api/v1/academy/registrations/", {"course": course.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["Sie sind für diesen Kurs schon angemeldet."]
    assert Registration.objects.filter(user=citizen).count() == 1


def test_unknown_session_and_course_give_clear_errors(api, academy, course):
    api.force_authenticate(citizen_create())
    drop_in = course_create(index=academy, format=CourseFormat.DROP_IN)
    response = api.post("/api/v1/academy/registrations/", {"course": drop_in.pk, "session": 424242}, format="json")
    assert response.json()["errors"] == {"session": ["Diesen Termin gibt es nicht."]}
    response = api.post("/api/v1/academy/registrations/", {"course": 424242}, format="json")
    assert response.json()["errors"] == {"course": ["Diesen Kurs gibt es nicht."]}
    assert not Registration.objects.exists()


def test_leave_and_cancel_only_own_registrations(api, course):
    other = registration_create(course=course.course, user=citizen_create())
    citizen = citizen_create()
    waiting = registration_create(course=course.course, user=citizen)
    api.force_authenticate(citizen)
    assert api.post(f"/api/v1/academy/registrations/{other.pk}/cancel/").status_code == 404
    response = api.post(f"/api/v1/academy/registrations/{waiting.pk}/leave/")
    assert response.json()["status"] == "cancelled"
    again = api.post(f"/api/v1/academy/registrations/{waiting.pk}/leave/")
    assert again.status_code == 400


def test_session_list_with_free_places_and_filters(api, academy, course):
    drop_in = course_create(index=academy, format=CourseFormat.DROP_IN)
    session = session_create(course=drop_in, capacity=3)
    registration_create(course=drop_in.course, session=session, user=citizen_create(), with_companion=True)
    items = api.get("/api/v1/academy/sessions/", {"course": drop_in.pk}).json()
    assert [(item["id"], item["availability"]["free_places"]) for item in items] == [(session.pk, 1)]
    assert len(api.get("/api/v1/academy/sessions/").json()) == 2
    assert api.get("/api/v1/academy/sessions/", {"course": "x"}).status_code == 400


def test_course_list_and_detail_match_the_schema(academy, course):
    drop_in = course_create(index=academy, format=CourseFormat.DROP_IN)
    session_create(course=drop_in, capacity=3)
    schema = api_schema()
    courses = call_and_validate("GET", "/academy/courses/", schema=schema).json()
    assert {item["id"] for item in courses} == {course.pk, drop_in.pk}
    detail = call_and_validate("GET", "/academy/courses/{id}/", schema=schema, path_parameters={"id": drop_in.pk})
    assert "availability" in detail.json()["sessions"][0]


def test_session_list_matches_the_schema(academy, course):
    """The schema described each entry as ``{session, availability}``; the answer is the flat session."""
    [item] = call_and_validate("GET", "/academy/sessions/").json()
    assert item["course"] == course.pk
    assert item["start"] and item["availability"]["state"] == "free"


@pytest.mark.parametrize("field", ["course", "session"])
@pytest.mark.parametrize("value", [2**63, 2**64 + 1, 10**30])
def test_an_id_beyond_64_bits_in_a_registration_is_a_german_400(api, course, field, value):
    api.force_authenticate(citizen_create())
    body = {"course": course.pk, field: value}
    response = api.post("/api/v1/academy/registrations/", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][field] == ["Diese Nummer gibt es nicht."]


def test_the_largest_64_bit_id_is_simply_not_found(api, course):
    api.force_authenticate(citizen_create())
    response = api.post("/api/v1/academy/registrations/", {"course": 2**63 - 1}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["course"] == ["Diesen Kurs gibt es nicht."]
