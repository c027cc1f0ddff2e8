"""A citizen's rentals in the GDPR export, and erased with the account."""

import pytest

from accounts.services import account_delete, account_export
from rentals.models import Reservation
from tests.factories.rentals import ItemFactory, ReservationFactory, UserFactory, hour_from_now


@pytest.mark.django_db
def test_export_lists_the_citizens_reservations_only(home):
    citizen, other = UserFactory(), UserFactory()
    item = ItemFactory()
    ReservationFactory(user=citizen, item=item, starts_at=hour_from_now(1), ends_at=hour_from_now(2))
    ReservationFactory(user=other, item=item, starts_at=hour_from_now(3), ends_at=hour_from_now(4))
    exported = account_export(user=citizen)["rental_reservations"]
    assert len(exported) == 1
    assert exported[0]["item"] == item.item_type.name


@pytest.mark.django_db
def test_deleting_the_account_cancels_open_reservations_and_keeps_anonymous_statistics(home):
    citizen = UserFactory()
    item = ItemFactory()
    reservation = ReservationFactory(
        user=citizen, item=item, starts_at=hour_from_now(1), ends_at=hour_from_now(2), caller_phone="040 1"
    )
    account_delete(user=citizen)
    reservation.refresh_from_db()
    assert reservation.state == Reservation.State.CANCELLED
    assert reservation.user is None
    assert reservation.caller_phone == ""
    assert reservation.anonymised_at is not None
    assert Reservation.objects.filter(pk=reservation.pk).exists()
