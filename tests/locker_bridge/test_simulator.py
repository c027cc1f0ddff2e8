"""The MQTT controller simulator without a broker: PINs persist across restarts and work offline."""

from datetime import UTC, datetime, timedelta

from locker_bridge import protocol
from locker_bridge.simulator import MqttSimulator

KEY = "simulator-key"


def simulator(state_file):
    return MqttSimulator(
        url="mqtt://127.0.0.1:1", prefix="test", controller_id="c1", key=KEY, compartments=4, state_file=state_file
    )


def provision(pin: str) -> bytes:
    now = datetime.now(UTC)
    message = {
        "v": protocol.VERSION,
        "type": "pin_provision",
        "command_id": "00000000-0000-4000-8000-000000000001",
        "controller": "c1",
        "compartment": 4,
        "pin_id": "p1",
        "pin_hash": protocol.pin_hash(pin, KEY),
        "valid_from": protocol.timestamp(now - timedelta(minutes=1)),
        "valid_until": protocol.timestamp(now + timedelta(hours=1)),
        "issued_at": protocol.timestamp(now),
        "expires_at": protocol.timestamp(now + timedelta(seconds=30)),
    }
    return protocol.encode(protocol.sign(message, KEY))


def test_pins_persist_across_restarts_and_open_without_a_connection(tmp_path):
    state_file = tmp_path / "c1.json"
    first = simulator(state_file)
    first.controller.handle_command(provision("97531"))
    first.save()

    restarted = simulator(state_file)
    assert restarted.keypad("97531") == 4
    assert restarted.state["compartments"]["4"]["door"] == "open"
    # Not connected: the events wait in the persisted outbox.
    assert [message["type"] for _, message in restarted.state["outbox"]] == ["pin_used", "door_opened"]
    assert [message["type"] for _, message in simulator(state_file).state["outbox"]] == ["pin_used", "door_opened"]


def test_control_actions_flip_the_switches(tmp_path):
    device = simulator(tmp_path / "c1.json")
    device.control({"action": "acks", "drop": True})
    device.control({"action": "jam", "compartment": 2})
    assert device.state["switches"]["drop_acks"] is True
    assert device.state["compartments"]["2"]["jammed"] is True
    device.control({"action": "offline"})
    assert not device.offline  # not inside the message callback: at the next poll
    device.poll(timeout=0)
    assert device.offline
    device.control({"action": "online"})
    assert not device.offline
