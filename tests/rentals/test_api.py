"""The rentals API: catalogue, availability, reserve, cancel, open, and the 404 ownership matrix."""

import pytest
from rest_framework.test import APIClient

from rentals.models import Reservation
from tests.api_schema import call_and_validate
from tests.factories.rentals import ItemFactory, ItemTypeFactory, ReservationFactory, UserFactory, locker_with_items
from tests.rentals.conftest import at

pytestmark = pytest.mark.django_db

BASE = "/api/v1/rentals"


@pytest.fixture
def item_type(locales):
    return ItemTypeFactory(name="Bollerwagen", slug="bollerwagen")


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def citizen(api):
    citizen = UserFactory()
    api.force_authenticate(citizen)
    return citizen


def test_item_types_and_availability_by_day(clock, api, item_type):
    ItemFactory.create_batch(2, item_type=item_type)
    types = api.get(f"{BASE}/item-types/").json()
    assert [entry["slug"] for entry in types] == ["bollerwagen"]
    day = api.get(f"{BASE}/item-types/bollerwagen/availability/", {"day": "2026-06-11"}).json()
    assert len(day["slots"]) == 12 and day["slots"][0]["free"] == 2
    bad = api.get(f"{BASE}/item-types/bollerwagen/availability/", {"day": "morgen"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"


def test_reserve_returns_pin_and_a_taken_slot_returns_409_with_alternatives(clock, api, citizen, item_type):
    ItemFactory(item_type=item_type)
    body = {"item_type": "bollerwagen", "starts_at": at(11).isoformat(), "ends_at": at(12).isoformat()}
    created = api.post(f"{BASE}/reservations/", body, format="json")
    assert created.status_code == 201 and len(created.json()["pin"]) == 6
    api.force_authenticate(UserFactory())
    taken = api.post(f"{BASE}/reservations/", body, format="json")
    assert taken.status_code == 409
    assert "schon vergeben" in taken.json()["detail"] and taken.json()["alternatives"]


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field"),
    [(at(7), at(8), "starts_at"), (at(11), at(11, days=2), "ends_at"), (at(20), at(21), "starts_at")],
)
def test_bad_ranges_answer_400_with_a_german_message(clock, api, citizen, item_type, starts_at, ends_at, field):
    ItemFactory(item_type=item_type)
    body = {"item_type": "bollerwagen", "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()}
    response = api.post(f"{BASE}/reservations/", body, format="json")
    assert response.status_code == 400 and response.json()["errors"][field]
    assert not Reservation.objects.exists()


def test_reserving_needs_sign_in(clock, api, item_type):
    response = api.post(f"{BASE}/reservations/", {"item_type": "bollerwagen"}, format="json")
    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    ("method", "suffix"), [("get", ""), ("post", "cancel/"), ("post", "open/")], ids=["detail", "cancel", "open"]
)
def test_someone_elses_reservation_answers_404_everywhere(clock, api, citizen, item_type, method, suffix):
    theirs = ReservationFactory(item=ItemFactory(item_type=item_type))
    response = getattr(api, method)(f"{BASE}/reservations/{theirs.pk}/{suffix}")
    assert response.status_code == 404
    missing = getattr(api, method)(f"{BASE}/reservations/999999/{suffix}")
    assert missing.status_code == 404 and missing.json()["title"] == response.json()["title"]
    theirs.refresh_from_db()
    assert theirs.state == Reservation.State.RESERVED


def test_my_reservations_lists_only_mine(clock, api, citizen, item_type):
    item = ItemFactory(item_type=item_type)
    mine = ReservationFactory(item=item, user=citizen)
    ReservationFactory(item=item, starts_at=at(14), ends_at=at(15))
    assert [entry["id"] for entry in api.get(f"{BASE}/reservations/").json()] == [mine.pk]


def test_cancel_twice_and_open_outside_the_window_answer_409(clock, api, citizen, item_type, committed):
    locker_with_items(item_type=item_type)
    mine = ReservationFactory(item=item_type.items.get(), user=citizen)
    assert api.post(f"{BASE}/reservations/{mine.pk}/open/").status_code == 409
    clock.move_to(at(10, 50))
    opened = committed(api.post, f"{BASE}/reservations/{mine.pk}/open/", HTTP_IDEMPOTENCY_KEY="tap-1")
    assert opened.status_code == 202
    other = ReservationFactory(item=item_type.items.get(), user=citizen, starts_at=at(15), ends_at=at(16))
    assert api.post(f"{BASE}/reservations/{other.pk}/cancel/").status_code == 200
    again = api.post(f"{BASE}/reservations/{other.pk}/cancel/")
    assert again.status_code == 409 and "storniert" in again.json()["detail"]


def test_item_types_match_the_schema_with_local_opening_hours(clock, item_type):
    """``08:00:00`` is a wall-clock time; the schema said ``format: time``, which needs an offset."""
    [entry] = call_and_validate("GET", "/rentals/item-types/").json()
    assert (entry["opens_at"], entry["closes_at"]) == ("08:00:00", "20:00:00")


def test_availability_matches_the_schema(clock, item_type):
    """The answer is one object with the day's slots; the schema said a list of slots."""
    ItemFactory(item_type=item_type)
    response = call_and_validate(
        "GET",
        "/rentals/item-types/{slug}/availability/",
        path_parameters={"slug": "bollerwagen"},
        query={"day": "2026-06-11"},
    )
    assert response.json()["day"] == "2026-06-11" and response.json()["slots"][0]["free"] == 1
