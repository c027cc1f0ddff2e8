"""The bridge's ingestion under a flood: garbage and forgeries cost no query, and are counted and alerted."""

from paho.mqtt.client import MQTTMessage

from locker_bridge import protocol
from locker_bridge.bridge import DROPS_ALERT_PER_MINUTE, Bridge
from locker_bridge.controller import Controller, state_new
from locker_bridge.models import Alert, Event


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
    assert bridge.dropped[locker.controller_id] == 10_000
    assert not Event.objects.exists()
    box = Controller(controller_id=locker.controller_id, key=locker.secret_key, state=state_new(4))
    ((_channel, genuine),) = box.door_close(1, occupied=True)
    bridge._on_message(None, None, mqtt_message(topic, protocol.encode(genuine)))
    assert Event.objects.filter(kind=Event.Kind.DOOR_CLOSED).count() == 1
    bridge.drops_report()
    alert = Alert.objects.get(kind=Alert.Kind.MESSAGES_DROPPED)
    assert "10000 ungültige" in alert.message
    assert bridge.dropped == {}


def test_a_few_dropped_messages_are_logged_but_do_not_alert(locker):
    bridge = Bridge(url="mqtt://127.0.0.1:1", prefix="flood", client_id="flood-test-2")
    topic = protocol.topic("flood", locker.controller_id, "heartbeat")
    for _ in range(DROPS_ALERT_PER_MINUTE - 1):
        bridge._on_message(None, None, mqtt_message(topic, b"not json"))
    bridge.drops_report()
    assert not Alert.objects.filter(kind=Alert.Kind.MESSAGES_DROPPED).exists()
