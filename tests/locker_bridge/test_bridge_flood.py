"""The bridge's intake under a flood, without a broker: invalid messages cost no query; all drops are counted.

The flood through a real broker is in ``test_mqtt_flood.py``.
"""

from paho.mqtt.client import MQTTMessage

from locker_bridge import protocol, services
from locker_bridge.bridge import DROPS_ALERT_PER_MINUTE, Bridge
from locker_bridge.controller import Controller, state_new
from locker_bridge.models import Alert, Command, Event, Locker
from locker_bridge.services.commands import command_message


def mqtt_message(topic: str, payload: bytes) -> MQTTMessage:
    message = MQTTMessage(topic=topic.encode())
    message.payload = payload
    return message


def test_ten_thousand_garbage_messages_cost_one_query_and_a_real_event_still_counts(
    locker, compartment, django_assert_max_num_queries
):
    bridge = Bridge(url="mqtt://127.0.0.1:1", prefix="flood", client_id="flood-test")
    topic = protocol.topic("flood", locker.controller_id, "event")
    forger = Controller(controller_id=locker.controller_id, key="not-the-key", state=state_new(4))
    ((_channel, forged),) = forger.door_close(1, occupied=True)
    garbage = [b"{", b"[" * 5000, b'{"v":2}', protocol.encode(forged)]
    with django_assert_max_num_queries(10):  # the controllers, reloaded every 10 s: no query per message
        for number in range(10_000):
            bridge._on_message(None, None, mqtt_message(topic, garbage[number % len(garbage)]))
        assert bridge.process() == 0
    assert not Event.objects.exists()
    box = Controller(controller_id=locker.controller_id, key=locker.secret_key, state=state_new(4))
    ((_channel, genuine),) = box.door_close(1, occupied=True)
    bridge._on_message(None, None, mqtt_message(topic, protocol.encode(genuine)))
    assert bridge.process() == 1
    assert Event.objects.filter(kind=Event.Kind.DOOR_CLOSED).count() == 1
    bridge.drops_flush()
    assert Locker.objects.get(pk=locker.pk).messages_dropped == 10_000
    assert not Alert.objects.filter(kind=Alert.Kind.MESSAGES_FLOOD).exists()  # invalid, not too many
    bridge.drops_report()
    alert = Alert.objects.get(kind=Alert.Kind.MESSAGES_DROPPED)
    assert "10000 ungültige" in alert.message
    assert bridge.dropped == {}


def test_a_few_dropped_messages_are_logged_but_do_not_alert(locker):
    bridge = Bridge(url="mqtt://127.0.0.1:1", prefix="flood", client_id="flood-test-2")
    topic = protocol.topic("flood", locker.controller_id, "heartbeat")
    for _ in range(DROPS_ALERT_PER_MINUTE - 1):
        bridge._on_message(None, None, mqtt_message(topic, b"not json"))
    bridge.drops_flush()
    bridge.drops_report()
    assert not Alert.objects.filter(kind=Alert.Kind.MESSAGES_DROPPED).exists()


def signed_events(locker, count: int) -> list[bytes]:
    box = Controller(controller_id=locker.controller_id, key=locker.secret_key, state=state_new(4))
    return [protocol.encode(box._event("pin_wrong")[1]) for _ in range(count)]


def test_well_signed_messages_over_the_rate_limit_are_dropped_counted_and_alerted_but_acks_pass(
    locker, compartment, send, settings
):
    bridge = Bridge(url="mqtt://127.0.0.1:1", prefix="flood", client_id="flood-test-3", rate=20, burst=50)
    events = protocol.topic("flood", locker.controller_id, "event")
    for payload in signed_events(locker, 80):
        bridge._on_message(None, None, mqtt_message(events, payload))
    settings.LOCKER_DRIVER = "mqtt"
    command = send(services.compartment_open, compartment=compartment, reason="Test", reference="flood-ack")
    box = Controller(controller_id=locker.controller_id, key=locker.secret_key, state=state_new(4))
    outgoing = box.handle_command(protocol.encode(command_message(command=command)))
    ((_channel, ack),) = [(channel, message) for channel, message in outgoing if channel == "ack"]
    acks = protocol.topic("flood", locker.controller_id, "ack")
    bridge._on_message(None, None, mqtt_message(acks, protocol.encode(ack)))
    while bridge.process():
        pass
    assert Event.objects.filter(kind=Event.Kind.PIN_WRONG).count() == 50  # the burst, then the limit
    command.refresh_from_db()
    assert command.state == Command.State.OPENED  # the acknowledgement has a bucket of its own
    bridge.drops_flush()
    assert Locker.objects.get(pk=locker.pk).messages_dropped == 30
    alert = Alert.objects.get(kind=Alert.Kind.MESSAGES_FLOOD)
    assert "sendet zu viele Nachrichten" in alert.message
    bridge.drops_flush()
    assert Alert.objects.filter(kind=Alert.Kind.MESSAGES_FLOOD).count() == 1


def test_a_full_queue_drops_and_counts_what_does_not_fit(locker):
    bridge = Bridge(url="mqtt://127.0.0.1:1", prefix="flood", client_id="flood-test-4", queue_limit=10)
    events = protocol.topic("flood", locker.controller_id, "event")
    for payload in signed_events(locker, 15):
        bridge._on_message(None, None, mqtt_message(events, payload))
    assert len(bridge.intake.queue) == 10
    assert bridge.process(batch_size=4) == 4
    assert bridge.process() == 6
    bridge.drops_flush()
    assert Locker.objects.get(pk=locker.pk).messages_dropped == 5
    assert Alert.objects.filter(kind=Alert.Kind.MESSAGES_FLOOD).exists()
