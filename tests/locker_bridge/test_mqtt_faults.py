"""Fault tests against a real Mosquitto (marked ``services``; CI's second run).

In every case: each command reaches a terminal state in time, no door opens
after expiry, and a ``command_id`` opens a door at most once.
"""

from datetime import timedelta

import pytest
import time_machine

from django.utils import timezone

from locker_bridge import protocol, services
from locker_bridge.models import Alert, Command, Compartment, Event
from tests.locker_bridge.mqtt_harness import (
    Harness,
    PrivateBroker,
    assert_at_most_one_opening_per_command,
    assert_every_command_terminal_in_time,
    finished,
    raw_publish,
)

pytestmark = pytest.mark.services


def test_open_command_round_trip(harness, compartment, send):
    command = send(services.compartment_open, compartment=compartment, reason="Test", reference="mqtt-open-1")
    assert harness.until(lambda: finished(command))
    assert command.state == Command.State.OPENED
    assert harness.until(lambda: Compartment.objects.get(pk=compartment.pk).door_state == "open")


def test_same_command_delivered_twice_opens_once(harness, compartment, send):
    command = send(services.compartment_open, compartment=compartment, reason="Test", reference="mqtt-dup")
    assert harness.until(lambda: finished(command))
    message = services.commands.command_message(command=command)
    raw_publish(protocol.topic(harness.prefix, harness.locker.controller_id, "cmd"), protocol.encode(message))
    harness.until(lambda: False, deadline=1.0)
    assert harness.simulator.opened_by_command == [str(command.command_id)]
    command.refresh_from_db()
    assert command.state == Command.State.OPENED


def test_forged_command_is_refused(harness, compartment):
    now = timezone.now()
    forged = protocol.sign(
        {
            "v": protocol.VERSION,
            "type": "open",
            "command_id": "00000000-0000-0000-0000-000000000001",
            "controller": harness.locker.controller_id,
            "compartment": compartment.number,
            "issued_at": protocol.timestamp(now),
            "expires_at": protocol.timestamp(now + timedelta(seconds=30)),
        },
        "not-the-controller-key",
    )
    raw_publish(protocol.topic(harness.prefix, harness.locker.controller_id, "cmd"), protocol.encode(forged))
    assert harness.until(lambda: Alert.objects.filter(kind=Alert.Kind.TAMPER).exists())
    assert harness.simulator.opened_by_command == []
    assert harness.simulator.state["compartments"]["1"]["door"] == "closed"


def test_replayed_command_after_expiry_opens_nothing(harness, compartment, send):
    command = send(services.compartment_open, compartment=compartment, reason="Test", reference="mqtt-replay")
    assert harness.until(lambda: finished(command))
    recorded = services.commands.command_message(command=command)
    harness.simulator.door_close(compartment.number, occupied=False)
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=True):
        raw_publish(protocol.topic(harness.prefix, harness.locker.controller_id, "cmd"), protocol.encode(recorded))
        assert harness.until(lambda: harness.simulator.commands_handled == 2)
    assert harness.simulator.ack_results == ["opened", "expired"]
    assert harness.simulator.opened_by_command == [str(command.command_id)]
    assert harness.simulator.state["compartments"]["1"]["door"] == "closed"


def test_lost_ack_expires_in_time_and_door_opened_once(harness, compartment, send):
    harness.simulator.acks(drop=True)
    command = send(services.compartment_open, compartment=compartment, reason="Test", reference="mqtt-lost-ack")
    assert harness.until(lambda: harness.simulator.opened_by_command)
    with time_machine.travel(command.expires_at + timedelta(seconds=3), tick=True):
        assert harness.until(lambda: finished(command), deadline=3)
    assert command.state == Command.State.EXPIRED
    assert harness.simulator.opened_by_command == [str(command.command_id)]
    # The door event still tells the truth about the compartment.
    assert Compartment.objects.get(pk=compartment.pk).door_state == "open"


def test_controller_offline_until_after_expiry_opens_nothing(harness, compartment, send):
    harness.simulator.go_offline()
    harness.simulator_running = False
    assert harness.until(lambda: not harness.locker.__class__.objects.get(pk=harness.locker.pk).is_online)
    command = send(services.compartment_open, compartment=compartment, reason="Test", reference="mqtt-offline")
    # The bridge publishes it from the outbox; the broker keeps it for the controller's session.
    assert harness.until(lambda: Command.objects.get(pk=command.pk).state == Command.State.SENT)
    with time_machine.travel(command.expires_at + timedelta(seconds=3), tick=True):
        assert harness.until(lambda: finished(command), deadline=3)
        assert command.state == Command.State.EXPIRED
        harness.simulator.go_online()
        harness.simulator_running = True
        # The broker kept the command for the controller's session and delivers it now: refused.
        assert harness.until(lambda: harness.simulator.commands_handled >= 1)
    assert "opened" not in harness.simulator.ack_results
    assert "expired" in harness.simulator.ack_results
    assert harness.simulator.opened_by_command == []
    assert harness.simulator.state["compartments"]["1"]["door"] == "closed"
    command.refresh_from_db()
    assert command.state == Command.State.EXPIRED


def test_pin_works_while_server_is_unreachable(harness, locker, compartment, send):
    now = timezone.now()
    command = send(
        services.pin_provision,
        compartment=compartment,
        pin="739154",
        valid_from=now,
        valid_until=now + timedelta(hours=1),
        reference="mqtt-pin",
    )
    assert harness.until(lambda: finished(command))
    harness.bridge.close()
    harness.bridge_running = False
    assert harness.simulator.keypad("739154") == 1
    harness.simulator.door_close(1, occupied=False)
    assert not Event.objects.filter(kind=Event.Kind.DOOR_OPENED).exists()
    # The bridge comes back; its persistent session delivers what happened meanwhile.
    harness.bridge = harness.bridge_new()
    harness.bridge_running = True
    assert harness.until(lambda: Event.objects.filter(kind=Event.Kind.DOOR_CLOSED, locker=locker).exists())
    compartment.refresh_from_db()
    assert compartment.door_state == "closed" and compartment.is_occupied is False


def test_door_left_open_raises_its_alert(harness, compartment):
    harness.simulator.door_open(compartment.number)
    assert harness.until(lambda: Compartment.objects.get(pk=compartment.pk).door_state == "open")
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=True):
        assert harness.until(lambda: Alert.objects.filter(kind=Alert.Kind.DOOR_LEFT_OPEN).exists(), deadline=3)


def test_missed_heartbeats_then_reconnect_reconciles(harness, locker, compartment):
    assert harness.until(lambda: Event.objects.filter(kind=Event.Kind.STATE_REPORT).exists())
    harness.simulator_running = False  # silent, but no last will: only heartbeats can tell
    with time_machine.travel(timezone.now() + timedelta(seconds=100), tick=True):
        assert harness.until(lambda: not type(locker).objects.get(pk=locker.pk).is_online, deadline=3)
        assert Compartment.objects.get(pk=compartment.pk).state_unknown
        harness.simulator.state["compartments"]["1"]["occupied"] = True
        harness.simulator_running = True
        harness.simulator.last_heartbeat = None
        assert harness.until(lambda: type(locker).objects.get(pk=locker.pk).is_online)
        assert harness.until(lambda: not Compartment.objects.get(pk=compartment.pk).state_unknown)
    assert Compartment.objects.get(pk=compartment.pk).is_occupied
    assert Alert.objects.filter(kind=Alert.Kind.STATE_MISMATCH, compartment=compartment).exists()


@pytest.fixture
def private_broker():
    broker = PrivateBroker()
    broker.start()
    yield broker
    broker.stop()


def test_broker_restart_in_the_middle_of_a_command(private_broker, mqtt_settings, locker, compartment, send, tmp_path):
    mqtt_settings.MQTT_URL = private_broker.url
    harness = Harness(url=private_broker.url, locker=locker, state_dir=tmp_path)
    mqtt_settings.LOCKER_TOPIC_PREFIX = harness.prefix
    try:
        assert harness.connected()
        private_broker.stop()
        harness.until(lambda: not harness.bridge.connected, deadline=3)
        command = send(services.compartment_open, compartment=compartment, reason="Test", reference="mqtt-restart")
        assert Command.objects.get(pk=command.pk).state == Command.State.PENDING
        private_broker.start()
        assert harness.until(lambda: finished(command), deadline=20)
        assert command.state == Command.State.OPENED
        assert_at_most_one_opening_per_command(harness)
    finally:
        harness.close()
    assert_every_command_terminal_in_time()


def test_simulator_control_topic_drives_the_keypad(harness, compartment, send):
    now = timezone.now()
    command = send(
        services.pin_provision,
        compartment=compartment,
        pin="246810",
        valid_from=now,
        valid_until=now + timedelta(hours=1),
        reference="mqtt-control",
    )
    assert harness.until(lambda: finished(command))
    control = protocol.topic(harness.prefix, harness.locker.controller_id, "sim")
    raw_publish(control, b'{"action": "keypad", "pin": "246810"}')
    assert harness.until(lambda: Compartment.objects.get(pk=compartment.pk).door_state == "open")


def test_killer_payloads_neither_crash_nor_hang_the_controller(harness, compartment, send):
    cmd = protocol.topic(harness.prefix, harness.locker.controller_id, "cmd")
    for payload in (b"[" * 200_000, b'{"v":2,"x":' + b"9" * 5000 + b"}", b'{"v":2,"x":"\\ud800"}'):
        raw_publish(cmd, payload)
    assert harness.until(lambda: harness.simulator.commands_handled == 3)
    command = send(services.compartment_open, compartment=compartment, reason="Test", reference="after-killers")
    assert harness.until(lambda: finished(command))
    assert command.state == Command.State.OPENED


def test_offline_switch_on_the_control_topic_does_not_deadlock(harness):
    control = protocol.topic(harness.prefix, harness.locker.controller_id, "sim")
    raw_publish(control, b'{"action": "offline"}')
    assert harness.until(lambda: harness.simulator.offline and not harness.simulator.connected)
    assert harness.until(lambda: not type(harness.locker).objects.get(pk=harness.locker.pk).is_online)
