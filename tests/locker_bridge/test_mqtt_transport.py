"""Production transport against a real Mosquitto: TLS, a broker user per controller, and the documented ACL.

The ACL is the shipped ``deploy/mosquitto/acl`` (docs/locker_protocol.md,
"Broker configuration", shows the same file), so what we test is what we ship.
"""

import threading

import pytest
from paho.mqtt.client import CallbackAPIVersion, Client

from locker_bridge import services
from locker_bridge.drivers.mqtt import TlsFiles, client_new
from locker_bridge.models import Command
from tests.locker_bridge.mqtt_harness import DEPLOY, Harness, PrivateBroker, passwords_write
from tests.notifications.push_service import self_signed_certificate

pytestmark = pytest.mark.services

BRIDGE_USER = "norderstedt-locker-bridge"
CONFIG = """per_listener_settings false
allow_anonymous false
password_file {directory}/passwords
acl_file {directory}/acl
persistence false
user root
listener {{port}} 127.0.0.1
certfile {cert}
keyfile {key}
"""


def documented_acl(prefix: str) -> str:
    return (DEPLOY / "acl").read_text().replace("norderstedt/lockers", prefix)


@pytest.fixture
def secure_broker(tmp_path, locker):
    directory = tmp_path / "broker"
    directory.mkdir()
    cert, key = self_signed_certificate(str(directory))
    prefix = "test/transport"
    (directory / "acl").write_text(documented_acl(prefix))
    passwords_write(
        directory / "passwords",
        {BRIDGE_USER: "bridge-secret", locker.controller_id: "controller-secret", "other-park": "other-secret"},
    )
    broker = PrivateBroker(config=CONFIG.format(directory=directory, cert=cert, key=key), directory=directory)
    broker.start()
    broker.cert, broker.prefix = cert, prefix
    yield broker
    broker.stop()


@pytest.fixture
def secure_harness(secure_broker, settings, locker, tmp_path):
    url = f"mqtts://{BRIDGE_USER}:bridge-secret@127.0.0.1:{secure_broker.port}"
    settings.LOCKER_DRIVER, settings.MQTT_URL, settings.MQTT_CA_FILE = "mqtt", url, secure_broker.cert
    settings.LOCKER_TOPIC_PREFIX = secure_broker.prefix
    harness = Harness(
        url=url,
        locker=locker,
        state_dir=tmp_path,
        prefix=secure_broker.prefix,
        simulator_url=f"mqtts://{locker.controller_id}:controller-secret@127.0.0.1:{secure_broker.port}",
        tls=TlsFiles(ca_file=secure_broker.cert),
    )
    yield harness
    harness.close()


class Spy:
    """Another controller's broker user, trying to read this controller's commands."""

    def __init__(self, broker, topic: str):
        self.received: list[str] = []
        self.subscribed = threading.Event()
        self.client, address = client_new(
            url=f"mqtts://other-park:other-secret@127.0.0.1:{broker.port}",
            client_id="spy",
            tls=TlsFiles(ca_file=broker.cert),
        )
        self.client.on_connect = lambda client, *args: client.subscribe(topic, qos=1)
        self.client.on_subscribe = lambda *args: self.subscribed.set()
        self.client.on_message = lambda client, userdata, message: self.received.append(message.topic)
        self.client.connect(address.host, address.port)
        self.client.loop_start()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def test_commands_round_trip_over_tls_with_a_broker_user_per_controller(
    secure_harness, secure_broker, compartment, django_capture_on_commit_callbacks
):
    assert secure_harness.connected()
    spy = Spy(secure_broker, f"{secure_broker.prefix}/{compartment.locker.controller_id}/cmd")
    try:
        assert spy.subscribed.wait(10)
        with django_capture_on_commit_callbacks(execute=True):
            command = services.compartment_open(compartment=compartment, reason="Test", reference="tls-open")
        assert secure_harness.until(lambda: Command.objects.get(pk=command.pk).is_finished)
        assert Command.objects.get(pk=command.pk).state == Command.State.OPENED
        assert spy.received == []  # the ACL keeps one controller's commands from another
    finally:
        spy.close()


def test_the_broker_refuses_a_client_without_credentials(secure_broker):
    refused = threading.Event()
    client = Client(CallbackAPIVersion.VERSION2, client_id="anonymous")
    client.tls_set(ca_certs=secure_broker.cert)
    client.on_connect = lambda client, userdata, flags, reason_code, properties: (
        refused.set() if reason_code.is_failure else None
    )
    client.connect("127.0.0.1", secure_broker.port)
    client.loop_start()
    try:
        assert refused.wait(10)
    finally:
        client.loop_stop()
