"""The rental flow as rentals will drive it, against the simulated driver (the boundary contract)."""

from datetime import timedelta

from django.utils import timezone

from locker_bridge import selectors, services
from locker_bridge.models import Command


def test_rental_flow_pin_pickup_and_return(locker, compartment, received, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        command = services.pin_provision(
            compartment=compartment,
            pin="482913",
            valid_from=now,
            valid_until=now + timedelta(days=2),
            reference="res-1-pin",
        )
    command.refresh_from_db()
    assert command.state == Command.State.APPLIED
    assert [name for name, _ in received] == ["command_finished"]

    assert services.simulator_keypad_enter(locker=locker, pin="482913") == 1
    opened = received[-1]
    assert opened[0] == "compartment_door_opened"
    assert opened[1]["via"] == "pin" and opened[1]["reference"] == "res-1-pin"
    assert opened[1]["compartment"] == compartment

    services.simulator_door_close(compartment=compartment, occupied=False)
    assert received[-1][0] == "compartment_door_closed" and received[-1][1]["occupied"] is False

    assert services.simulator_keypad_enter(locker=locker, pin="482913") == 1
    services.simulator_door_close(compartment=compartment, occupied=True)
    assert received[-1][0] == "compartment_door_closed" and received[-1][1]["occupied"] is True
    compartment.refresh_from_db()
    assert compartment.is_occupied and compartment.door_state == "closed"
    assert selectors.compartment_is_usable(compartment=compartment)


def test_same_reference_gives_one_command(compartment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = services.compartment_open(compartment=compartment, reason="Test", reference="open-1", requested_by=None)
        second = services.compartment_open(
            compartment=compartment, reason="Test", reference="open-1", requested_by=None
        )
    assert first.pk == second.pk
    assert len(callbacks) == 1
    assert Command.objects.count() == 1
    first.refresh_from_db()
    assert first.state == Command.State.OPENED


def test_command_opens_door_and_finishes_once(compartment, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        command = services.compartment_open(
            compartment=compartment, reason="Service", reference="open-2", requested_by=None
        )
    names = [name for name, _ in received]
    assert names.count("command_finished") == 1
    assert "compartment_door_opened" in names
    door = next(kwargs for name, kwargs in received if name == "compartment_door_opened")
    assert door["via"] == "command" and door["reference"] == "open-2"
    command.refresh_from_db()
    assert command.round_trip_ms is not None
