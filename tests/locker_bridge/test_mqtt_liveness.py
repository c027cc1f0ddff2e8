"""Liveness that cannot be replayed, against a real Mosquitto (issue 12, item 2).

Heartbeats and presence carry a timestamp, a per-boot id and a counter under
the signature; the last will names the connection it ends. A recorded
message replayed later changes nothing, and unsigned presence triggers
nothing (no resend, no state change).
"""

from datetime import timedelta

import pytest
import time_machine

from django.utils import timezone

from locker_bridge import protocol, services
from locker_bridge.models import Command, Locker
from tests.locker_bridge.mqtt_harness import raw_publish

pytestmark = pytest.mark.services


def replay(harness, channel: str, message: dict) -> None:
    raw_publish(protocol.topic(harness.prefix, harness.locker.controller_id, channel), protocol.encode(message))


def is_online(harness) -> bool:
    return Locker.objects.get(pk=harness.locker.pk).is_online


def settle(harness) -> None:
    harness.until(lambda: False, deadline=0.5)


def test_replayed_heartbeat_does_not_bring_a_dead_controller_back(harness):
    channel, recorded = harness.simulator.controller.heartbeat()
    harness.simulator._publish([(channel, recorded)])
    stamp = Locker.objects.get(pk=harness.locker.pk).last_heartbeat_at
    assert harness.until(lambda: Locker.objects.get(pk=harness.locker.pk).last_heartbeat_at != stamp)
    harness.simulator.close()
    harness.simulator_running = False  # the controller dies without a last will
    for minutes in (16, 86):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=True):
            assert harness.until(lambda: not is_online(harness), deadline=3)
            replay(harness, channel, recorded)
            settle(harness)
            assert not is_online(harness)


def test_replayed_presence_does_not_bring_a_dead_controller_back(harness):
    channel, recorded = harness.simulator.controller.presence(online=True)
    harness.simulator._publish([(channel, recorded)])
    settle(harness)
    harness.simulator.close()
    harness.simulator_running = False
    with time_machine.travel(timezone.now() + timedelta(minutes=5), tick=True):
        assert harness.until(lambda: not is_online(harness), deadline=3)
        replay(harness, channel, recorded)
        settle(harness)
        assert not is_online(harness)


def test_replayed_last_will_does_not_mark_a_live_controller_offline(harness):
    will = harness.simulator.will_message
    # The controller reconnects: the will of its first connection is now history.
    harness.simulator.go_offline()
    harness.simulator.go_online()
    assert harness.until(lambda: harness.simulator.connected and is_online(harness))
    settle(harness)
    assert is_online(harness)
    replay(harness, "presence", will)
    settle(harness)
    assert is_online(harness)


def test_the_genuine_last_will_still_marks_the_controller_offline(harness):
    harness.simulator.go_offline()
    harness.simulator_running = False
    assert harness.until(lambda: not is_online(harness))


def test_unsigned_presence_triggers_no_resend(harness, compartment, send):
    harness.simulator.acks(drop=True)
    command = send(services.compartment_open, compartment=compartment, reason="Test", reference="unsigned-presence")
    assert harness.until(lambda: Command.objects.get(pk=command.pk).state == Command.State.SENT)
    attempts = Command.objects.get(pk=command.pk).attempts
    for _ in range(20):
        replay(harness, "presence", {"v": protocol.VERSION, "controller": harness.locker.controller_id, "online": True})
    settle(harness)
    assert Command.objects.get(pk=command.pk).attempts == attempts
