"""Desired-state reconciliation against a real Mosquitto (issue 12, item 1).

A PIN change made while the controller cannot hear it must still reach it:
a revoked PIN must never open again once the controller is back, and a PIN
provisioned while it was offline must arrive, however long the outage.
"""

from datetime import timedelta

import pytest
import time_machine

from django.utils import timezone

from locker_bridge import services
from locker_bridge.models import Command, Locker, Pin
from tests.locker_bridge.mqtt_harness import finished

pytestmark = pytest.mark.services


def offline(harness) -> None:
    harness.simulator.go_offline()
    harness.simulator_running = False
    assert harness.until(lambda: not Locker.objects.get(pk=harness.locker.pk).is_online)


def back_online(harness) -> None:
    harness.simulator.go_online()
    harness.simulator_running = True
    assert harness.until(lambda: Locker.objects.get(pk=harness.locker.pk).is_online)


def provision(send, compartment, *, pin: str, reference: str) -> Command:
    now = timezone.now()
    return send(
        services.pin_provision,
        compartment=compartment,
        pin=pin,
        valid_from=now - timedelta(minutes=1),
        valid_until=now + timedelta(hours=4),
        reference=reference,
    )


def test_pin_revoked_while_controller_offline_never_opens_after_it_returns(harness, compartment, send):
    command = provision(send, compartment, pin="731946", reference="reconcile-cancel-pin")
    assert harness.until(lambda: finished(command))
    assert command.state == Command.State.APPLIED
    offline(harness)
    revoke = send(
        services.pin_revoke,
        compartment=compartment,
        reference="reconcile-cancel-revoke",
        provision_reference="reconcile-cancel-pin",
    )
    # The citizen cancelled; the controller comes back only 35 s later.
    with time_machine.travel(revoke.expires_at + timedelta(seconds=5), tick=True):
        assert harness.until(lambda: finished(revoke), deadline=3)
        back_online(harness)
        pin_id = str(command.command_id)
        assert harness.until(lambda: pin_id not in harness.simulator.state["pins"])
        assert harness.simulator.keypad("731946") is None
        assert harness.until(lambda: Pin.objects.get(provision=command).removed_at is not None)
    assert harness.simulator.state["compartments"]["1"]["door"] == "closed"


def test_pin_provisioned_while_controller_offline_arrives_when_it_returns(harness, compartment, send):
    offline(harness)
    command = provision(send, compartment, pin="582047", reference="reconcile-offline-pin")
    with time_machine.travel(command.expires_at + timedelta(seconds=5), tick=True):
        assert harness.until(lambda: finished(command), deadline=3)
        assert Pin.objects.get(provision=command).applied_at is None
        back_online(harness)
        assert harness.until(lambda: Pin.objects.get(provision=command).applied_at is not None)
        assert harness.simulator.keypad("582047") == 1


def test_revoke_that_stays_unconfirmed_alerts_staff_within_a_minute(harness, compartment, send):
    from locker_bridge.models import Alert

    command = provision(send, compartment, pin="640213", reference="reconcile-alert-pin")
    assert harness.until(lambda: finished(command))
    offline(harness)
    send(
        services.pin_revoke,
        compartment=compartment,
        reference="reconcile-alert-revoke",
        provision_reference="reconcile-alert-pin",
    )
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=True):
        assert harness.until(lambda: Alert.objects.filter(kind=Alert.Kind.REVOKE_UNCONFIRMED).exists(), deadline=3)


def test_a_lost_return_is_repaired_by_the_periodic_state_report_while_the_controller_stays_online(
    harness, compartment, locales, settings
):
    from rentals.models import Reservation
    from tests.factories.rentals import ItemFactory, ItemTypeFactory, ReservationFactory

    item = ItemFactory(item_type=ItemTypeFactory(), home_compartment=compartment)
    now = timezone.now()
    loan = ReservationFactory(
        item=item, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1), state="picked_up"
    )
    harness.simulator.controller.door_open(compartment.number)
    harness.simulator.controller.door_close(compartment.number, occupied=True)  # both events lost on the way
    harness.until(lambda: False, deadline=0.5)
    assert Reservation.objects.get(pk=loan.pk).state == Reservation.State.PICKED_UP
    assert Locker.objects.get(pk=harness.locker.pk).is_online  # nothing ever went offline
    # The report is ahead of the two events; with no grace the bridge asks again at its next
    # health check and takes them as lost (tests/locker_bridge/test_state_report_order.py).
    settings.LOCKER_EVENT_GRACE_SECONDS = 0
    harness.bridge.next_state_request = 0  # as if LOCKER_STATE_REPORT_SECONDS had passed
    assert harness.until(lambda: Reservation.objects.get(pk=loan.pk).state == Reservation.State.RETURNED)
    assert Command.objects.filter(kind=Command.Kind.STATE_REPORT, reference__contains=":300s:").exists()
    assert Command.objects.filter(kind=Command.Kind.STATE_REPORT, reference__contains=":recheck:").exists()
