"""Pickup and return through the simulated locker driver, as at the real locker."""

import datetime

import pytest

from locker_bridge.models import Command, Compartment, Pin
from locker_bridge.services import simulator_door_close, simulator_keypad_enter
from rentals.models import AccessLogEntry, Reservation
from rentals.services.errors import OpenNotAllowed, SlotTaken
from rentals.services.locker import reservation_remote_open, staff_compartment_open
from rentals.services.reservations import reservation_cancel, reservation_create
from rentals.services.staff import reservation_problem_report
from tests.factories.rentals import ItemTypeFactory, UserFactory, locker_with_items
from tests.rentals.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(locales):
    return locker_with_items(item_type=ItemTypeFactory(name="Rollator", slug="rollator"))[0]


@pytest.fixture
def reserve(committed):
    def create(item, citizen=None, start=11, end=13):
        return committed(
            reservation_create,
            item_type=item.item_type,
            starts_at=at(start),
            ends_at=at(end),
            user=citizen or UserFactory(),
        )

    return create


def test_reserving_provisions_the_pin_for_its_window(clock, item, reserve, committed):
    created = reserve(item)
    command = Command.objects.get(reference=f"{created.reservation.reference}-pin")
    assert command.kind == Command.Kind.PIN_PROVISION
    pin = Pin.objects.get(provision=command)
    assert pin.valid_from == at(10, 45) and pin.valid_until == at(13)
    assert created.pin not in str(command.payload)


def test_pin_opens_only_inside_its_window_then_pickup_and_return_record_real_times(clock, item, reserve, committed):
    created = reserve(item)
    locker = item.home_compartment.locker
    assert committed(simulator_keypad_enter, locker=locker, pin=created.pin) is None  # 09:30, too early

    clock.move_to(at(10, 50))
    assert committed(simulator_keypad_enter, locker=locker, pin=created.pin) == 1
    reservation = Reservation.objects.get()
    assert reservation.state == Reservation.State.PICKED_UP and reservation.picked_up_at == at(10, 50)
    committed(simulator_door_close, compartment=item.home_compartment, occupied=False)

    clock.move_to(at(12, 5))
    assert committed(simulator_keypad_enter, locker=locker, pin=created.pin) == 1
    committed(simulator_door_close, compartment=item.home_compartment, occupied=True)
    reservation.refresh_from_db()
    assert reservation.state == Reservation.State.RETURNED and reservation.returned_at == at(12, 5)
    assert Pin.objects.get().revoked_at is not None
    kinds = list(AccessLogEntry.objects.filter(reservation=reservation).values_list("kind", flat=True))
    assert {"pin_provisioned", "door_opened", "door_closed", "pin_revoked"} <= set(kinds)

    again = reserve(item, start=12, end=13)  # the rest of the slot is free at once
    assert again.reservation.item == item


def test_remote_open_works_from_15_minutes_before_start_for_the_owner_only(clock, item, reserve, committed):
    citizen, stranger = UserFactory(), UserFactory()
    reservation = reserve(item, citizen).reservation
    with pytest.raises(OpenNotAllowed, match="15 Minuten"):
        committed(reservation_remote_open, reservation=reservation, user=citizen)
    clock.move_to(at(10, 45))
    with pytest.raises(OpenNotAllowed):
        committed(reservation_remote_open, reservation=reservation, user=stranger)
    command = committed(reservation_remote_open, reservation=reservation, user=citizen, request_key="click-1")
    assert (
        committed(reservation_remote_open, reservation=reservation, user=citizen, request_key="click-1").pk
        == command.pk
    )
    command.refresh_from_db()
    assert command.state == Command.State.OPENED
    reservation.refresh_from_db()
    assert reservation.state == Reservation.State.PICKED_UP
    clock.move_to(at(13, 0))
    with pytest.raises(OpenNotAllowed):
        committed(reservation_remote_open, reservation=reservation, user=citizen)


def test_cancelling_revokes_the_pin(clock, item, reserve, committed):
    created = reserve(item)
    committed(reservation_cancel, reservation=created.reservation)
    assert Pin.objects.get().revoked_at is not None
    clock.move_to(at(11))
    assert committed(simulator_keypad_enter, locker=item.home_compartment.locker, pin=created.pin) is None


def test_a_problem_at_return_flags_the_item_for_a_check(clock, item, reserve, committed):
    reservation = reserve(item).reservation
    reservation_problem_report(reservation=reservation, text="Bremse locker")
    item.refresh_from_db()
    assert item.condition == "check" and "Bremse" in item.condition_note


def test_staff_open_needs_a_reason_and_is_logged(clock, item, reserve, committed, django_user_model):
    staff = django_user_model.objects.create(username="verleih", is_staff=True)
    with pytest.raises(Exception, match="Grund"):
        committed(staff_compartment_open, item=item, staff=staff, reason=" ")
    committed(staff_compartment_open, item=item, staff=staff, reason="Kunde am Telefon, PIN vergessen")
    entry = AccessLogEntry.objects.get(kind="remote_open")
    assert entry.actor == staff and "PIN vergessen" in entry.reason


def test_the_access_log_is_append_only(clock, item, reserve, committed):
    reserve(item)
    entry = AccessLogEntry.objects.first()
    entry.reason = "geändert"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()


def test_pins_differ_at_one_compartment_when_windows_overlap(clock, item, reserve, committed, monkeypatch):
    draws = iter(["111111", "111111", "222222"])
    monkeypatch.setattr("rentals.services.reservations.pin_generate", lambda: next(draws))
    first = reserve(item, start=11, end=12)
    second = reserve(item, start=12, end=13)
    assert first.pin == "111111" and second.pin == "222222"
    assert datetime.timedelta(0) < second.reservation.starts_at - first.reservation.starts_at


def test_an_immediate_pickup_avoids_a_compartment_whose_locker_is_offline(clock, locales, committed):
    item_type = ItemTypeFactory(name="Sonnenschirm", slug="sonnenschirm")
    offline_item = locker_with_items(item_type=item_type, controller_id="offline-park")[0]
    online_item = locker_with_items(item_type=item_type, controller_id="online-park")[0]
    locker = offline_item.home_compartment.locker
    locker.is_online = False
    locker.save()
    soon = committed(reservation_create, item_type=item_type, starts_at=at(10), ends_at=at(11), user=UserFactory())
    assert soon.reservation.item == online_item
    with pytest.raises(SlotTaken):
        reservation_create(item_type=item_type, starts_at=at(10), ends_at=at(11), user=UserFactory())
    later = committed(reservation_create, item_type=item_type, starts_at=at(15), ends_at=at(16), user=UserFactory())
    assert later.reservation.item == offline_item


def test_an_immediate_pickup_avoids_a_compartment_in_an_unknown_state(clock, locales, committed):
    item_type = ItemTypeFactory(name="Sonnenschirm", slug="sonnenschirm")
    unknown_item = locker_with_items(item_type=item_type, controller_id="unknown-park")[0]
    Compartment.objects.filter(pk=unknown_item.home_compartment_id).update(state_unknown=True)
    with pytest.raises(SlotTaken):
        reservation_create(item_type=item_type, starts_at=at(10), ends_at=at(11), user=UserFactory())
    later = committed(reservation_create, item_type=item_type, starts_at=at(15), ends_at=at(16), user=UserFactory())
    assert later.reservation.item == unknown_item


def test_staff_hear_which_reservations_depend_on_a_locker_that_went_offline(clock, item, reserve, committed):
    from django.core import mail

    from locker_bridge.services import simulator_offline_set

    reserve(item, start=10, end=11)
    committed(simulator_offline_set, locker=item.home_compartment.locker, offline=True)
    alert = next(message for message in mail.outbox if "nicht erreichbar" in message.subject)
    assert "10:00" in alert.body and item.label in alert.body


def test_a_remote_open_that_fails_at_a_jammed_latch_is_logged(clock, item, reserve, committed):
    from locker_bridge.services import simulator_jam

    citizen = UserFactory()
    reservation = reserve(item, citizen).reservation
    simulator_jam(compartment=item.home_compartment, jammed=True)
    clock.move_to(at(10, 50))
    committed(reservation_remote_open, reservation=reservation, user=citizen, request_key="jam")
    failed = AccessLogEntry.objects.get(kind="open_failed")
    assert failed.reservation == reservation and failed.via == "failed"
    reservation.refresh_from_db()
    assert reservation.state == Reservation.State.RESERVED
