"""A state report that overtakes the door events it already reflects (after a broker restart,
paho resends the events later) is not a lost event: no "Zustand weicht ab", and the loan ends
through the real events. A door event that is really lost is still repaired, after a grace."""

from datetime import timedelta

import time_machine

from django.utils import timezone

from locker_bridge import protocol, services
from locker_bridge.controller import Controller, state_new
from locker_bridge.models import Alert, Command, Compartment
from locker_bridge.services.ingestion import message_receive


def _controller(locker) -> Controller:
    box = Controller(controller_id=locker.controller_id, key=locker.secret_key, state=state_new(4))
    box.state["compartments"]["1"]["occupied"] = True
    return box


def _deliver(locker, outgoing) -> None:
    for channel, message in outgoing:
        message_receive(locker=locker, channel=channel, payload=protocol.encode(message))


def _occupied_and_closed(compartment) -> None:
    compartment.is_occupied, compartment.door_state = True, Compartment.Door.CLOSED
    compartment.save(update_fields=["is_occupied", "door_state"])


def test_a_report_ahead_of_its_door_events_raises_no_mismatch(locker, compartment, received):
    _occupied_and_closed(compartment)
    box = _controller(locker)
    late_events = box.door_open(1) + box.door_close(1, occupied=False)  # held back by the broker restart
    _deliver(locker, [box.state_report()])
    assert not Alert.objects.filter(kind=Alert.Kind.STATE_MISMATCH).exists()
    assert [name for name, _ in received] == []  # nothing is invented while the events are on their way

    _deliver(locker, late_events)
    compartment.refresh_from_db()
    assert (compartment.door_state, compartment.is_occupied) == (Compartment.Door.CLOSED, False)
    assert [name for name, _ in received] == ["compartment_door_opened", "compartment_door_closed"]
    _deliver(locker, [box.state_report()])
    assert not Alert.objects.filter(kind=Alert.Kind.STATE_MISMATCH).exists()


def test_a_door_event_really_lost_is_repaired_by_the_report_after_the_grace(locker, compartment, received, settings):
    _occupied_and_closed(compartment)
    box = _controller(locker)
    box.door_open(1)
    box.door_close(1, occupied=False)  # both events lost for good
    _deliver(locker, [box.state_report()])
    assert not Alert.objects.filter(kind=Alert.Kind.STATE_MISMATCH).exists()

    later = timezone.now() + timedelta(seconds=settings.LOCKER_EVENT_GRACE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        services.controllers_check_health()
        assert Command.objects.filter(kind=Command.Kind.STATE_REPORT, reference__contains=":recheck:").count() == 1
        services.controllers_check_health()  # asks once per deferred report
        assert Command.objects.filter(kind=Command.Kind.STATE_REPORT, reference__contains=":recheck:").count() == 1
        _deliver(locker, [box.state_report()])
    compartment.refresh_from_db()
    assert (compartment.door_state, compartment.is_occupied) == (Compartment.Door.CLOSED, False)
    assert Alert.objects.filter(kind=Alert.Kind.STATE_MISMATCH, compartment=compartment).count() == 1
    assert [name for name, _ in received] == ["compartment_door_closed"]
