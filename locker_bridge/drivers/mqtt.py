"""The ``mqtt`` driver: paho-mqtt 2.x, MQTT 5, QoS 1, never retained (docs/locker_protocol.md).

``client_new`` is the one place that builds a connection (URL, TLS, credentials),
used by the publisher below, by ``manage.py locker_bridge`` and by
``manage.py locker_simulator``.
"""

import logging
import ssl
import threading
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlparse

from paho.mqtt.client import CallbackAPIVersion, Client, MQTTErrorCode
from paho.mqtt.enums import MQTTProtocolVersion

from django.conf import settings

from locker_bridge import protocol
from locker_bridge.models import Command

logger = logging.getLogger(__name__)

PUBLISH_TIMEOUT_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class BrokerAddress:
    host: str
    port: int
    tls: bool
    username: str
    password: str

    @classmethod
    def parse(cls, url: str) -> "BrokerAddress":
        """``mqtt://[user:password@]host[:1883]`` or ``mqtts://…[:8883]`` for TLS."""
        parsed = urlparse(url)
        if parsed.scheme not in {"mqtt", "mqtts"}:
            raise ValueError(f"MQTT_URL must start with mqtt:// or mqtts://, not {url!r}")
        tls = parsed.scheme == "mqtts"
        return cls(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or (8883 if tls else 1883),
            tls=tls,
            username=unquote(parsed.username or ""),
            password=unquote(parsed.password or ""),
        )


@dataclass(frozen=True)
class TlsFiles:
    """Where the TLS material lives: the broker's CA, and optionally this client's certificate and key."""

    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""

    @classmethod
    def from_settings(cls) -> "TlsFiles":
        return cls(
            ca_file=settings.MQTT_CA_FILE,
            cert_file=settings.MQTT_CLIENT_CERT_FILE,
            key_file=settings.MQTT_CLIENT_KEY_FILE,
        )


def client_new(*, url: str, client_id: str, tls: TlsFiles | None = None) -> tuple[Client, BrokerAddress]:
    """A paho client for MQTT 5 with TLS and credentials from the URL; not yet connected.

    ``mqtts://`` verifies the broker's certificate and host name (against
    ``tls.ca_file``, else the system's CAs); a client certificate, when given,
    authenticates this client to the broker instead of, or besides, a password.
    """
    address = BrokerAddress.parse(url)
    tls = tls or TlsFiles()
    client = Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=MQTTProtocolVersion.MQTTv5)
    if address.username:
        client.username_pw_set(address.username, address.password or None)
    if address.tls:
        client.tls_set(
            ca_certs=tls.ca_file or None,
            certfile=tls.cert_file or None,
            keyfile=tls.key_file or None,
            cert_reqs=ssl.CERT_REQUIRED,
            tls_version=ssl.PROTOCOL_TLS_CLIENT,
        )
    return client, address


class Publisher:
    """One connection per process for publishing commands, waiting for the broker's PUBACK.

    Its network loop runs in a paho thread, so ``publish`` may block the caller
    (a task) until the broker has taken the message.
    """

    def __init__(self, url: str):
        self.url = url
        self.lock = threading.Lock()
        self.connected = threading.Event()
        self.client, self.address = client_new(
            url=url, client_id=f"norderstedt-publisher-{uuid.uuid4().hex[:12]}", tls=TlsFiles.from_settings()
        )
        self.client.on_connect = lambda client, userdata, flags, reason, properties: self.connected.set()
        self.client.on_disconnect = lambda client, userdata, flags, reason, properties: self.connected.clear()
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.started = False

    def _ensure_connected(self) -> bool:
        if not self.started:
            self.client.connect_async(self.address.host, self.address.port, keepalive=30)
            self.client.loop_start()
            self.started = True
        return self.connected.wait(CONNECT_TIMEOUT_SECONDS)

    def publish(self, topic: str, payload: bytes) -> bool:
        with self.lock:
            if not self._ensure_connected():
                return False
            info = self.client.publish(topic, payload, qos=1, retain=False)
        if info.rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
            return False
        try:
            info.wait_for_publish(PUBLISH_TIMEOUT_SECONDS)
        except (RuntimeError, ValueError):
            return False
        return info.is_published()

    def close(self) -> None:
        if self.started:
            self.client.disconnect()
            self.client.loop_stop()
            self.started = False


_publishers: dict[str, Publisher] = {}
_publishers_lock = threading.Lock()


def publisher_get() -> Publisher:
    with _publishers_lock:
        publisher = _publishers.get(settings.MQTT_URL)
        if publisher is None:
            publisher = _publishers[settings.MQTT_URL] = Publisher(settings.MQTT_URL)
        return publisher


def publishers_close() -> None:
    with _publishers_lock:
        for publisher in _publishers.values():
            publisher.close()
        _publishers.clear()


class MqttDriver:
    def command_send(self, *, command: Command, message: dict[str, Any]) -> bool:
        """Publish at QoS 1, not retained; True once the broker acknowledged it (PUBACK)."""
        topic = protocol.topic(settings.LOCKER_TOPIC_PREFIX, command.locker.controller_id, "cmd")
        published = publisher_get().publish(topic, protocol.encode(message))
        if not published:
            logger.warning("Could not hand command %s to the broker; the bridge resends it before expiry", command)
        return published
