import datetime

import pytest

from django.core import mail

from locker_bridge.models import Pin
from notifications.models import PersonalNotice
from rentals.models import AccessLogEntry, Reservation
from rentals.services.periodic import (
    access_log_prune,
    reservations_anonymise,
    reservations_flag_overdue,
    reservations_release_no_shows,
)
from rentals.services.reservations import reservation_create
from rentals.services.staff import maintenance_block_create
from tests.factories.rentals import ItemTypeFactory, ReservationFactory, UserFactory, locker_with_items
from tests.rentals.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(locales):
    return locker_with_items(item_type=ItemTypeFactory(name="Bollerwagen", slug="bollerwagen"))[0]


def test_a_reservation_not_collected_within_30_minutes_is_released_and_its_pin_revoked(clock, item, committed):
    created = committed(
        reservation_create, item_type=item.item_type, starts_at=at(10), ends_at=at(12), user=UserFactory()
    )
    clock.move_to(at(10, 29))
    assert committed(reservations_release_no_shows) == 0
    clock.move_to(at(10, 30))
    assert committed(reservations_release_no_shows) == 1
    assert committed(reservations_release_no_shows) == 0
    created.reservation.refresh_from_db()
    assert created.reservation.state == Reservation.State.NO_SHOW
    assert Pin.objects.get().revoked_at is not None
    again = reservation_create(item_type=item.item_type, starts_at=at(11), ends_at=at(12), user=UserFactory())
    assert again.reservation.item == item


def test_an_overdue_loan_reminds_the_citizen_once_per_kind_and_alerts_staff_once(clock, item, committed):
    loan = ReservationFactory(item=item, starts_at=at(8), ends_at=at(9), state=Reservation.State.PICKED_UP)
    assert committed(reservations_flag_overdue) == 1
    loan.refresh_from_db()
    assert loan.state == Reservation.State.OVERDUE
    assert committed(reservations_flag_overdue) == 0
    assert list(PersonalNotice.objects.values_list("reference", flat=True)) == [f"{loan.reference}-overdue-due"]
    clock.move_to(at(11, 1))
    committed(reservations_flag_overdue)
    committed(reservations_flag_overdue)
    assert PersonalNotice.objects.count() == 2
    staff_alerts = [message for message in mail.outbox if message.subject.startswith("Überfällig")]
    assert len(staff_alerts) == 1


def test_maintenance_cancels_the_reservations_it_overlaps_and_notifies_their_people(clock, item, committed):
    citizen = UserFactory()
    hit = committed(reservation_create, item_type=item.item_type, starts_at=at(11), ends_at=at(12), user=citizen)
    spared = committed(reservation_create, item_type=item.item_type, starts_at=at(15), ends_at=at(16), user=citizen)
    _block, affected = committed(
        maintenance_block_create, item=item, starts_at=at(10), ends_at=at(14), reason="Reifen flicken"
    )
    assert [reservation.pk for reservation in affected] == [hit.reservation.pk]
    hit.reservation.refresh_from_db()
    spared.reservation.refresh_from_db()
    assert hit.reservation.state == Reservation.State.CANCELLED
    assert spared.reservation.state == Reservation.State.RESERVED
    notice = PersonalNotice.objects.get(user=citizen)
    assert "fällt aus" in notice.title
    assert any(message.to == [citizen.email] and "fällt aus" in message.subject for message in mail.outbox)


def test_reservations_are_anonymised_after_the_retention_period(clock, item, settings):
    settings.RENTALS_RETENTION_DAYS = 90
    old = ReservationFactory(
        item=item,
        starts_at=at(10, days=-91),
        ends_at=at(11, days=-91),
        state=Reservation.State.RETURNED,
        caller_name="Frau Meier",
        caller_phone="040 123",
        problem_report="Rad locker",
    )
    recent = ReservationFactory(item=item, starts_at=at(10, days=-89), ends_at=at(11, days=-89), state="returned")
    active_but_old = ReservationFactory(
        item=item, starts_at=at(10, days=-100), ends_at=at(11, days=-100), state=Reservation.State.OVERDUE
    )
    assert reservations_anonymise() == 1
    assert reservations_anonymise() == 0
    old.refresh_from_db()
    assert (old.user, old.caller_name, old.caller_phone, old.problem_report, old.pin_hash) == (None, "", "", "", "")
    assert old.anonymised_at is not None and old.item == item
    recent.refresh_from_db()
    active_but_old.refresh_from_db()
    assert recent.user is not None and active_but_old.user is not None


def test_the_access_log_is_pruned_after_its_own_period(clock, item, settings):
    settings.RENTALS_ACCESS_LOG_RETENTION_DAYS = 365
    AccessLogEntry.objects.create(at=at(10) - datetime.timedelta(days=366), kind="door_opened", item=item)
    AccessLogEntry.objects.create(at=at(10) - datetime.timedelta(days=300), kind="door_opened", item=item)
    assert access_log_prune() == 1
    assert AccessLogEntry.objects.count() == 1
