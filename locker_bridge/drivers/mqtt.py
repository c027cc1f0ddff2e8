"""MQTT connections: paho-mqtt 2.x, MQTT 5, QoS 1, never retained (docs/locker_protocol.md).

``client_new`` is the one place that builds a connection (URL, TLS, credentials),
used by ``manage.py locker_bridge`` and by ``manage.py locker_simulator``. There
is no publisher for web processes or tasks: under the ``mqtt`` driver only the
bridge process talks to the broker, and it publishes the pending ``Command``
rows on its own connection (docs/decisions.md, "Only the bridge talks to the broker").
"""

import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from paho.mqtt.client import CallbackAPIVersion, Client
from paho.mqtt.enums import MQTTProtocolVersion

from django.conf import settings


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
