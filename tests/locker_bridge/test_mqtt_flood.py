"""A flood from one controller through the shipped broker setup: the other controllers' truth still arrives.

Issue 12: with 15,000 messages from one controller's credentials the broker
dropped the bridge's queue and a real return (door closed, item inside) was
lost. Here a private Mosquitto runs ``deploy/mosquitto/`` as shipped; one
controller's credentials publish 15,000 messages (garbage, forgeries, and
well-signed events far over its rate limit) while another controller reports a
return and answers a staff open. Every flood message is either stored or
counted as dropped, never silently lost, and staff get the alert.
"""

import threading
import uuid
from datetime import timedelta

import pytest
from paho.mqtt.client import CallbackAPIVersion, Client
from paho.mqtt.enums import MQTTProtocolVersion

from django.utils import timezone

from locker_bridge import protocol, services
from locker_bridge.controller import Controller, state_new
from locker_bridge.models import Alert, Command, Event, Locker
from rentals.models import Reservation
from tests.factories.locker_bridge import LockerFactory
from tests.factories.rentals import ItemFactory, ItemTypeFactory, ReservationFactory
from tests.locker_bridge.mqtt_harness import Harness, deployed_broker

pytestmark = pytest.mark.services

PREFIX = "norderstedt/lockers"
BRIDGE = "norderstedt-locker-bridge"
FLOOD = 15_000


@pytest.fixture
def other_locker(db):
    other = LockerFactory(controller_id="rathaus-test", location_label="Rathaus Test")
    services.compartments_ensure(locker=other, count=4)
    return other


@pytest.fixture
def broker(tmp_path, locker, other_locker):
    passwords = {BRIDGE: "bridge-secret", locker.controller_id: "flood-secret", other_locker.controller_id: "other"}
    broker = deployed_broker(tmp_path / "broker", passwords)
    broker.start()
    broker.passwords = passwords
    yield broker
    broker.stop()


@pytest.fixture
def other_harness(broker, mqtt_settings, other_locker, tmp_path):
    """The bridge and the well-behaved controller, each with its own broker user."""
    url = f"mqtt://{BRIDGE}:bridge-secret@127.0.0.1:{broker.port}"
    mqtt_settings.MQTT_URL, mqtt_settings.LOCKER_TOPIC_PREFIX = url, PREFIX
    harness = Harness(
        url=url,
        locker=other_locker,
        state_dir=tmp_path,
        prefix=PREFIX,
        simulator_url=f"mqtt://{other_locker.controller_id}:other@127.0.0.1:{broker.port}",
    )
    assert harness.connected()
    yield harness
    harness.close()


def flood_payloads(locker: Locker) -> list[bytes]:
    """A third garbage, a third forged, a third well signed (``pin_wrong``, each with its own event id)."""
    genuine = Controller(controller_id=locker.controller_id, key=locker.secret_key, state=state_new(4))
    forger = Controller(controller_id=locker.controller_id, key="not-the-key", state=state_new(4))
    garbage = [b"{", b"[" * 5000, b'{"v":2}', b"\xff\xfe", b'{"v":2,"x":"\\ud800"}']
    payloads = []
    for number in range(FLOOD):
        kind = number % 3
        if kind == 0:
            payloads.append(garbage[number % len(garbage)])
        else:
            box = genuine if kind == 1 else forger
            payloads.append(protocol.encode(box._message(type="pin_wrong", event_id=uuid.uuid4().hex)))
    return payloads


class Flooder(threading.Thread):
    """The flooding controller's credentials, publishing as fast as the broker takes it (QoS 1)."""

    def __init__(self, *, broker, locker: Locker):
        super().__init__(daemon=True)
        self.payloads = flood_payloads(locker)
        self.topic = protocol.topic(PREFIX, locker.controller_id, "event")
        self.client = Client(CallbackAPIVersion.VERSION2, client_id="flooder", protocol=MQTTProtocolVersion.MQTTv5)
        self.client.username_pw_set(locker.controller_id, broker.passwords[locker.controller_id])
        self.client.max_inflight_messages_set(100)
        self.client.max_queued_messages_set(0)
        self.client.on_publish = self._on_publish
        self.client.connect("127.0.0.1", broker.port)
        self.acknowledged = 0
        self.done = threading.Event()

    def _on_publish(self, client, userdata, mid, reason_code, properties) -> None:
        self.acknowledged += 1

    def run(self) -> None:
        self.client.loop_start()
        infos = [self.client.publish(self.topic, payload, qos=1) for payload in self.payloads]
        for info in infos:
            info.wait_for_publish(60)
        self.done.set()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def flood_accounted(locker: Locker) -> bool:
    """Every flood message is either stored or counted as dropped."""
    dropped = Locker.objects.get(pk=locker.pk).messages_dropped
    stored = Event.objects.filter(locker=locker, kind=Event.Kind.PIN_WRONG).count()
    return dropped + stored == FLOOD


def test_a_return_and_a_staff_open_get_through_a_flood_of_15000_messages_from_another_controller(
    broker, other_harness, locker, other_locker, locales, send
):
    compartment = other_locker.compartments.get(number=1)
    item = ItemFactory(item_type=ItemTypeFactory(), home_compartment=compartment)
    now = timezone.now()
    loan = ReservationFactory(
        item=item, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1), state="picked_up"
    )
    flooder = Flooder(broker=broker, locker=locker)
    flooder.start()
    try:
        # The bridge is not polled meanwhile: the broker holds the whole flood for its session,
        # and the return queues behind it (where issue 12 saw the broker drop the bridge's queue).
        assert flooder.done.wait(60)
        other_harness.simulator._publish(other_harness.simulator.controller.door_close(1, occupied=True))
        command = send(
            services.compartment_open,
            compartment=other_locker.compartments.get(number=2),
            reason="Kontrolle",
            reference="open-during-flood",
        )
        assert not flood_accounted(locker)
        assert other_harness.until(lambda: Reservation.objects.get(pk=loan.pk).state == Reservation.State.RETURNED)
        assert other_harness.until(lambda: Command.objects.get(pk=command.pk).is_finished)
        assert Command.objects.get(pk=command.pk).state == Command.State.OPENED
        assert other_harness.until(lambda: flood_accounted(locker))
    finally:
        flooder.close()
    stored = Event.objects.filter(locker=locker, kind=Event.Kind.PIN_WRONG).count()
    assert 0 < stored < FLOOD // 3  # the well-signed ones only up to the rate limit
    assert Alert.objects.filter(locker=locker, kind=Alert.Kind.MESSAGES_FLOOD).count() == 1
    assert not Alert.objects.filter(kind=Alert.Kind.LATE_OPEN).exists()
