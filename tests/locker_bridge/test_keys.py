"""Rotating a controller's key: a short grace period, no door left unopenable, no old key forever."""

from datetime import timedelta

import pytest
import time_machine

from django.core.management import call_command
from django.utils import timezone

from locker_bridge import protocol, services
from locker_bridge.controller import Controller, state_new
from locker_bridge.models import Command, Event, Locker
from locker_bridge.services.commands import command_message
from locker_bridge.services.ingestion import message_receive


@pytest.fixture
def opens(django_capture_on_commit_callbacks, compartment):
    """``opens(reference)``: send an open command through the simulated driver and return its final state."""

    def run(reference: str) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            command = services.compartment_open(compartment=compartment, reason="Test", reference=reference)
        command.refresh_from_db()
        return command.state

    return run


def _door_event(locker: Locker, key: str) -> None:
    device = Controller(controller_id=locker.controller_id, key=key, state=state_new(4))
    ((channel, message),) = device.door_close(1, occupied=True)
    message_receive(locker=locker, channel=channel, payload=protocol.encode(message))


def test_during_the_grace_period_commands_still_open_until_the_controller_has_the_new_key(locker, opens):
    assert opens("before") == Command.State.OPENED  # the simulated hardware now holds the first key
    old_key = locker.secret_key
    new_key = services.locker_key_rotate(locker=locker)
    assert new_key != old_key
    assert opens("during-grace") == Command.State.OPENED  # signed with the key the controller still holds
    services.simulator_key_install(locker=locker)  # the technician installs it; its heartbeat proves it
    locker.refresh_from_db()
    assert locker.previous_secret_key == "" and locker.previous_key_until is None
    assert opens("after") == Command.State.OPENED
    assert protocol.verify(command_message(command=Command.objects.get(reference="after")), new_key)


def test_after_the_grace_period_the_old_key_is_refused(locker, compartment):
    old_key = locker.secret_key
    services.locker_key_rotate(locker=locker, grace=timedelta(minutes=15))
    locker.refresh_from_db()
    _door_event(locker, old_key)
    assert Event.objects.count() == 1  # accepted within the grace period
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        _door_event(locker, old_key)
        assert Event.objects.count() == 1
        _door_event(locker, locker.secret_key)
        assert Event.objects.count() == 2


def test_a_rotation_without_grace_refuses_the_old_key_at_once(locker, opens):
    assert opens("before") == Command.State.OPENED  # the simulated hardware now holds the first key
    old_key = locker.secret_key
    services.locker_key_rotate(locker=locker, grace=timedelta(0))
    locker.refresh_from_db()
    events = Event.objects.count()
    _door_event(locker, old_key)
    assert Event.objects.count() == events
    # The controller still holds the old key: it refuses commands under the new one, and nothing opens.
    assert opens("refused") == Command.State.SENT  # refused unanswered; the reaper expires it
    services.simulator_key_install(locker=locker)
    assert opens("installed") == Command.State.OPENED


def test_a_pin_provisioned_before_the_rotation_still_opens_after_the_new_key_is_installed(
    locker, compartment, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.pin_provision(
            compartment=compartment,
            pin="482913",
            valid_from=now - timedelta(minutes=1),
            valid_until=now + timedelta(hours=2),
            reference="pin-before",
        )
    services.locker_key_rotate(locker=locker)
    services.simulator_key_install(locker=locker)
    assert services.simulator_keypad_enter(locker=locker, pin="482913") == compartment.number


def test_a_pin_in_use_under_the_old_key_still_clashes_during_the_grace_period(
    locker, django_capture_on_commit_callbacks
):
    now = timezone.now()
    first, second = locker.compartments.order_by("number")[:2]
    window = {"valid_from": now, "valid_until": now + timedelta(hours=1)}
    with django_capture_on_commit_callbacks(execute=True):
        services.pin_provision(compartment=first, pin="123456", reference="first", **window)
    services.locker_key_rotate(locker=locker)
    locker.refresh_from_db()
    with pytest.raises(services.PinInUse):
        services.pin_provision(compartment=second, pin="123456", reference="second", **window)


def test_the_command_prints_the_new_key_once(locker, capsys):
    call_command("locker_key_rotate", "--controller", locker.controller_id, "--grace-minutes", "5")
    output = capsys.readouterr().out
    locker.refresh_from_db()
    assert locker.secret_key in output and locker.previous_key_until is not None


def test_the_django_admin_never_shows_a_key(locker, admin_client):
    locker.previous_secret_key = "b" * 64
    locker.save(update_fields=["previous_secret_key"])
    body = admin_client.get(f"/django-admin/locker_bridge/locker/{locker.pk}/change/").content.decode()
    assert locker.controller_id in body
    assert locker.secret_key not in body and "b" * 64 not in body
