"""The no-double-booking guard under real parallel connections on PostgreSQL.

Every thread has its own database connection. All of them first see the item
as free (a barrier holds them right after the availability check), then race
to insert. With the exclusion constraint exactly one wins; the control test
drops the constraint and shows that the race is real.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from django.db import connection

from rentals.models import Reservation
from rentals.services import reservations as reservation_services
from rentals.services.errors import SlotTaken
from tests.factories.rentals import ItemFactory, ItemTypeFactory, ReservationFactory, UserFactory
from tests.rentals.conftest import at

PARALLEL = 20

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def last_free_item(postgres, locales, clock, monkeypatch):
    """Two Bollerwagen, one of them already booked: one is left for 11–12 Uhr."""
    item_type = ItemTypeFactory(name="Bollerwagen", slug="bollerwagen")
    booked, free = ItemFactory.create_batch(2, item_type=item_type)
    ReservationFactory(item=booked, starts_at=at(11), ends_at=at(12))
    barrier = threading.Barrier(PARALLEL, timeout=30)
    original = reservation_services.free_items

    def free_items_then_wait(**kwargs):
        found = original(**kwargs)
        barrier.wait()
        return found

    monkeypatch.setattr(reservation_services, "free_items", free_items_then_wait)
    return item_type, free


def _race(item_type) -> list:
    citizens = [UserFactory() for _ in range(PARALLEL)]

    def attempt(citizen):
        try:
            return reservation_services.reservation_create(
                item_type=item_type, starts_at=at(11), ends_at=at(12), user=citizen
            )
        except SlotTaken as refusal:
            return refusal
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        return list(pool.map(attempt, citizens))


def test_the_last_free_item_is_booked_once_under_contention(last_free_item):
    item_type, free = last_free_item
    outcomes = _race(item_type)
    successes = [outcome for outcome in outcomes if not isinstance(outcome, SlotTaken)]
    refusals = [outcome for outcome in outcomes if isinstance(outcome, SlotTaken)]
    assert len(successes) == 1
    assert len(refusals) == PARALLEL - 1
    assert all("schon vergeben" in str(refusal.message) for refusal in refusals)
    assert all(refusal.alternatives and refusal.alternatives[0][0] in (at(10), at(12)) for refusal in refusals)
    assert Reservation.objects.filter(item=free, state="reserved").count() == 1


@pytest.fixture
def guard_off():
    """Drop the exclusion constraint for one test and put it back afterwards."""
    constraint = next(c for c in Reservation._meta.constraints if c.name == "reservation_no_double_booking")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Reservation, constraint)
    yield
    Reservation.objects.all().delete()
    with connection.schema_editor() as editor:
        editor.add_constraint(Reservation, constraint)


def test_control_without_the_exclusion_constraint_the_race_double_books(last_free_item, guard_off):
    item_type, free = last_free_item
    outcomes = _race(item_type)
    successes = [outcome for outcome in outcomes if not isinstance(outcome, SlotTaken)]
    assert len(successes) > 1
    assert Reservation.objects.filter(item=free, state="reserved").count() == len(successes)
