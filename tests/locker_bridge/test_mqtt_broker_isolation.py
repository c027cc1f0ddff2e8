"""The documented broker setup isolates clients: one controller's credentials cannot take over another session.

A private Mosquitto runs ``deploy/mosquitto/mosquitto.conf`` and
``deploy/mosquitto/acl`` as shipped (only paths and ports replaced). Each
attack from issue 12 is tried against it and must fail, and, as the control,
against a naive broker (passwords only, no ACL, client ids as the clients
choose) where it must succeed: otherwise the test could not tell.
"""

import getpass
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from paho.mqtt.client import CallbackAPIVersion, Client, MQTTMessage
from paho.mqtt.enums import MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from tests.locker_bridge.mqtt_harness import DEADLINE_SECONDS, DEPLOY, PrivateBroker, deployed_broker, passwords_write

pytestmark = pytest.mark.services

PROTOCOL_DOC = Path(__file__).resolve().parents[2] / "docs" / "locker_protocol.md"
PREFIX = "norderstedt/lockers"
BRIDGE = "norderstedt-locker-bridge"
PARK, OTHER = "stadtpark-norderstedt", "rathaus-norderstedt"
PASSWORDS = {BRIDGE: "bridge-secret", PARK: "park-secret", OTHER: "other-secret"}


def naive_config(directory: Path) -> str:
    """The control: passwords, but no ACL and the client ids the clients choose."""
    return (
        f"allow_anonymous false\npassword_file {directory / 'passwd'}\n"
        f"user {getpass.getuser()}\nlistener {{port}} 127.0.0.1\n"
    )


@pytest.fixture(params=["deployed", "naive"])
def broker(request, tmp_path) -> Iterator[PrivateBroker]:
    directory = tmp_path / request.param
    if request.param == "deployed":
        broker = deployed_broker(directory, PASSWORDS)
    else:
        directory.mkdir()
        passwords_write(directory / "passwd", PASSWORDS)
        broker = PrivateBroker(config=naive_config(directory), directory=directory)
    broker.start()
    broker.isolating = request.param == "deployed"
    yield broker
    broker.stop()


@dataclass
class Peer:
    """One MQTT client in its own network thread, with what happened to it."""

    client: Client
    connected: threading.Event
    disconnected: threading.Event
    received: list[MQTTMessage]
    session_present: list[bool]

    def wait_for(self, condition, deadline: float = DEADLINE_SECONDS) -> bool:
        done = threading.Event()
        for _ in range(int(deadline / 0.01)):
            if condition():
                return True
            done.wait(0.01)  # waiting for the broker's answer, not for timing
        return condition()

    def topics_received(self) -> list[str]:
        return [message.topic for message in self.received]

    def publish_confirmed(self, topic: str, payload: bytes = b"x") -> bool:
        """Publish at QoS 1; True once the broker answered, False if this client was thrown off first."""
        info = self.client.publish(topic, payload, qos=1)

        def answered() -> bool:
            try:
                return info.is_published()
            except RuntimeError:  # paho: not connected any more
                return False

        self.wait_for(lambda: self.disconnected.is_set() or answered())
        return answered() and not self.disconnected.is_set()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def peer(
    broker: PrivateBroker,
    *,
    user: str,
    client_id: str,
    subscribe: tuple[str, ...] = (),
    clean_start: bool = True,
    session_expiry: int = 3600,
    will_topic: str = "",
) -> Peer:
    """A connected client. It does not reconnect by itself, so a client thrown off stays off."""
    client = Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=MQTTProtocolVersion.MQTTv5,
        reconnect_on_failure=False,
    )
    client.username_pw_set(user, PASSWORDS[user])
    connected, disconnected = threading.Event(), threading.Event()
    received: list[MQTTMessage] = []
    session_present: list[bool] = []
    subscribed = threading.Event()

    def on_connect(client, userdata, flags, reason_code, properties):
        session_present.append(bool(flags.session_present))
        if subscribe:
            client.subscribe([(topic, 1) for topic in subscribe])
        else:
            subscribed.set()
        connected.set()

    client.on_connect = on_connect
    client.on_subscribe = lambda *args: subscribed.set()
    client.on_disconnect = lambda *args: disconnected.set()
    client.on_message = lambda client, userdata, message: received.append(message)
    if will_topic:
        client.will_set(will_topic, b'{"online":false}', qos=1, retain=True)
    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = session_expiry
    client.connect("127.0.0.1", broker.port, clean_start=clean_start, properties=properties)
    client.loop_start()
    assert connected.wait(DEADLINE_SECONDS) and subscribed.wait(DEADLINE_SECONDS)
    return Peer(client, connected, disconnected, received, session_present)


def topic(controller: str, channel: str) -> str:
    return f"{PREFIX}/{controller}/{channel}"


def test_the_protocol_page_shows_the_shipped_acl():
    shown = re.search(r"```\n(# Who may use which locker topic.*?)```", PROTOCOL_DOC.read_text(), re.DOTALL)
    assert shown and shown.group(1) == (DEPLOY / "acl").read_text()


def test_a_controller_using_the_bridges_client_id_neither_kicks_the_bridge_nor_wipes_its_session(broker):
    bridge = peer(broker, user=BRIDGE, client_id=BRIDGE, subscribe=(topic("+", "event"),), clean_start=False)
    bridge.close()  # the bridge restarts; the broker queues events for its session meanwhile
    other = peer(broker, user=OTHER, client_id=OTHER)
    assert other.publish_confirmed(topic(OTHER, "event"), b"door closed, item inside")
    impostor = peer(broker, user=PARK, client_id=BRIDGE, clean_start=True, session_expiry=0)
    impostor.close()
    bridge = peer(broker, user=BRIDGE, client_id=BRIDGE, subscribe=(topic("+", "event"),), clean_start=False)
    try:
        kept = bridge.session_present[-1] and bridge.wait_for(lambda: bridge.topics_received())
        assert kept is broker.isolating  # naive broker: clean_start under the bridge's id wiped the queued event
        impostor = peer(broker, user=PARK, client_id=BRIDGE)
        assert bridge.publish_confirmed(topic(OTHER, "cmd")) is broker.isolating  # naive: the bridge was kicked
        impostor.close()
    finally:
        bridge.close()
        other.close()


def test_a_controller_using_another_controllers_client_id_neither_kicks_it_nor_fires_its_last_will(broker):
    bridge = peer(broker, user=BRIDGE, client_id=BRIDGE, subscribe=(topic("+", "presence"),))
    other = peer(broker, user=OTHER, client_id=OTHER, will_topic=topic(OTHER, "presence"))
    impostor = peer(broker, user=PARK, client_id=OTHER)
    try:
        assert other.publish_confirmed(topic(OTHER, "heartbeat")) is broker.isolating  # naive: it was kicked
        # A marker after the takeover: a fired last will reaches the bridge before it.
        assert impostor.publish_confirmed(topic(PARK, "presence"), b"marker")
        assert bridge.wait_for(lambda: topic(PARK, "presence") in bridge.topics_received())
        assert (topic(OTHER, "presence") in bridge.topics_received()) is not broker.isolating
    finally:
        impostor.close()
        other.close()
        bridge.close()


def test_a_controller_cannot_speak_on_another_controllers_topics(broker):
    bridge = peer(broker, user=BRIDGE, client_id=BRIDGE, subscribe=(topic("+", "event"), topic("+", "presence")))
    impostor = peer(broker, user=PARK, client_id=PARK)
    try:
        impostor.client.publish(topic(OTHER, "event"), b"forged door closed", qos=1)
        impostor.client.publish(topic(OTHER, "presence"), b"forged offline", qos=1, retain=True)
        assert impostor.publish_confirmed(topic(PARK, "event"), b"marker")  # its own topic: allowed
        assert bridge.wait_for(lambda: topic(PARK, "event") in bridge.topics_received())
        forged = [name for name in bridge.topics_received() if name.startswith(f"{PREFIX}/{OTHER}/")]
        assert bool(forged) is not broker.isolating
    finally:
        impostor.close()
        bridge.close()


def test_a_controller_cannot_read_another_controllers_commands(broker):
    spy = peer(broker, user=PARK, client_id=PARK, subscribe=(topic(OTHER, "cmd"), topic(PARK, "cmd")))
    bridge = peer(broker, user=BRIDGE, client_id=BRIDGE)
    try:
        assert bridge.publish_confirmed(topic(OTHER, "cmd"), b"open 3")
        assert bridge.publish_confirmed(topic(PARK, "cmd"), b"marker")
        assert spy.wait_for(lambda: topic(PARK, "cmd") in spy.topics_received())
        assert (topic(OTHER, "cmd") in spy.topics_received()) is not broker.isolating
    finally:
        bridge.close()
        spy.close()


def test_only_the_bridge_may_publish_commands(broker):
    controller = peer(broker, user=OTHER, client_id=OTHER, subscribe=(topic(OTHER, "cmd"),))
    impostor = peer(broker, user=PARK, client_id=PARK)
    bridge = peer(broker, user=BRIDGE, client_id=BRIDGE)
    try:
        impostor.client.publish(topic(OTHER, "cmd"), b"forged open", qos=1)
        assert impostor.publish_confirmed(topic(PARK, "event"))
        assert bridge.publish_confirmed(topic(OTHER, "cmd"), b"marker")
        assert controller.wait_for(lambda: any(message.payload == b"marker" for message in controller.received))
        assert any(message.payload == b"forged open" for message in controller.received) is not broker.isolating
    finally:
        bridge.close()
        impostor.close()
        controller.close()
