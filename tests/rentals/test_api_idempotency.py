"""Idempotency-Key on the rentals writes: a retry gets the first answer, not a second reservation."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from rest_framework.test import APIClient

from django.db import connection

from cms.models import IdempotencyKey
from rentals.models import Reservation
from tests.factories.rentals import ItemFactory, ItemTypeFactory, ReservationFactory, UserFactory
from tests.rentals.conftest import at

BASE = "/api/v1/rentals"


def _body():
    return {"item_type": "bollerwagen", "starts_at": at(11).isoformat(), "ends_at": at(12).isoformat()}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def citizen(api):
    citizen = UserFactory()
    api.force_authenticate(citizen)
    return citizen


@pytest.fixture
def item_type(locales):
    item_type = ItemTypeFactory(name="Bollerwagen", slug="bollerwagen")
    ItemFactory.create_batch(2, item_type=item_type)
    return item_type


@pytest.mark.django_db
def test_the_same_key_twice_makes_one_reservation_and_replays_the_answer(clock, api, citizen, item_type):
    first = api.post(f"{BASE}/reservations/", _body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = api.post(f"{BASE}/reservations/", _body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Reservation.objects.count() == 1


@pytest.mark.django_db
def test_without_a_key_a_second_post_is_a_second_reservation(clock, api, citizen, item_type):
    api.post(f"{BASE}/reservations/", _body(), format="json")
    api.post(f"{BASE}/reservations/", _body(), format="json")
    assert Reservation.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_a_422_problem(clock, api, citizen, item_type):
    api.post(f"{BASE}/reservations/", _body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    other = {**_body(), "starts_at": at(13).isoformat(), "ends_at": at(14).isoformat()}
    response = api.post(f"{BASE}/reservations/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert Reservation.objects.count() == 1


@pytest.mark.django_db
def test_keys_belong_to_one_citizen(clock, api, citizen, item_type):
    api.post(f"{BASE}/reservations/", _body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    api.force_authenticate(UserFactory())
    response = api.post(f"{BASE}/reservations/", _body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Reservation.objects.count() == 2


@pytest.mark.django_db
def test_a_refusal_is_not_stored_so_the_key_can_be_used_again(clock, api, citizen, item_type):
    bad = {**_body(), "starts_at": at(7).isoformat(), "ends_at": at(8).isoformat()}
    assert api.post(f"{BASE}/reservations/", bad, format="json", HTTP_IDEMPOTENCY_KEY="k-1").status_code == 400
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db
def test_a_key_is_replayed_for_24_hours_and_then_forgotten(clock, api, citizen, item_type):
    from cms.api.idempotency import idempotency_keys_purge

    api.post(f"{BASE}/reservations/", _body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    clock.shift(23 * 3600)
    assert idempotency_keys_purge() == 0
    clock.shift(2 * 3600)
    assert idempotency_keys_purge() == 1


@pytest.mark.django_db
def test_cancel_with_the_same_key_replays_instead_of_409(clock, api, citizen, item_type):
    mine = ReservationFactory(item=item_type.items.first(), user=citizen)
    first = api.post(f"{BASE}/reservations/{mine.pk}/cancel/", HTTP_IDEMPOTENCY_KEY="c-1")
    second = api.post(f"{BASE}/reservations/{mine.pk}/cancel/", HTTP_IDEMPOTENCY_KEY="c-1")
    assert first.status_code == second.status_code == 200
    assert second["Idempotent-Replayed"] == "true"
    assert api.post(f"{BASE}/reservations/{mine.pk}/cancel/").status_code == 409


@pytest.mark.django_db
def test_an_overlong_key_is_a_400_problem(clock, api, citizen, item_type):
    response = api.post(f"{BASE}/reservations/", _body(), format="json", HTTP_IDEMPOTENCY_KEY="k" * 101)
    assert response.status_code == 400 and "Idempotency-Key" in response.json()["errors"]


def _parallel_posts(citizen, keys: list[str]) -> list:
    barrier = threading.Barrier(len(keys), timeout=30)

    def post(key):
        client = APIClient()
        client.force_authenticate(citizen)
        barrier.wait()
        try:
            headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
            return client.post(f"{BASE}/reservations/", _body(), format="json", **headers)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(keys)) as pool:
        return list(pool.map(post, keys))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_make_one_reservation(postgres, clock, item_type):
    citizen = UserFactory()
    responses = _parallel_posts(citizen, ["same", "same"])
    assert [response.status_code for response in responses] == [201, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Reservation.objects.count() == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_control_two_concurrent_requests_without_a_key_make_two(postgres, clock, item_type):
    citizen = UserFactory()
    responses = _parallel_posts(citizen, ["", ""])
    assert [response.status_code for response in responses] == [201, 201]
    assert Reservation.objects.count() == 2
