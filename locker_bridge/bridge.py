"""The ingestion process behind ``manage.py locker_bridge``.

It holds a persistent MQTT 5 session (fixed client id, ``clean_start`` off), so
the broker keeps acknowledgements and events for it while it restarts. Each
message is verified and stored idempotently; every second it runs the reaper
and the health check and resends commands that are still pending, and after
each (re)connect it resends every unfinished command that has not expired.
"""

import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from paho.mqtt.client import Client, MQTTErrorCode, MQTTMessage
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from django.conf import settings
from django.db import close_old_connections

from locker_bridge import protocol
from locker_bridge.drivers.mqtt import TlsFiles, client_new
from locker_bridge.models import Alert, Locker
from locker_bridge.services import command_publish, commands_expire_overdue, controllers_check_health
from locker_bridge.services.commands import commands_resendable
from locker_bridge.services.health import alert_raise
from locker_bridge.services.ingestion import message_admissible, message_receive
from locker_bridge.services.pins import pins_reconcile

logger = logging.getLogger(__name__)

SESSION_EXPIRY_SECONDS = 24 * 3600
CHANNELS = ("ack", "event", "heartbeat", "presence")
PENDING_RESEND_AFTER = timedelta(seconds=2)
LOCKER_CACHE_SECONDS = 10.0
DROPS_ALERT_PER_MINUTE = 100


class Backoff:
    """Exponential reconnect delay: 1, 2, 4 … 30 seconds, reset by a successful connect."""

    def __init__(self, *, first: float = 1.0, maximum: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.first, self.maximum, self.clock = first, maximum, clock
        self.delay = first
        self.next_attempt = 0.0

    def due(self) -> bool:
        return self.clock() >= self.next_attempt

    def failed(self) -> None:
        self.next_attempt = self.clock() + self.delay
        self.delay = min(self.delay * 2, self.maximum)

    def reset(self) -> None:
        self.delay, self.next_attempt = self.first, 0.0


class Bridge:
    def __init__(
        self,
        *,
        url: str,
        prefix: str,
        client_id: str,
        tls: TlsFiles | None = None,
        session_expiry: int = SESSION_EXPIRY_SECONDS,
    ):
        self.prefix, self.session_expiry = prefix, session_expiry
        self.client, self.address = client_new(url=url, client_id=client_id, tls=tls)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.subscribed = False
        self.connected = False
        self.connecting = False
        self.ever_connected = False
        self.resend_due = False
        self.backoff = Backoff()
        self.last_periodic = 0.0
        self.lockers: dict[str, Locker] = {}
        self.lockers_loaded_at = float("-inf")
        self.dropped: Counter[str] = Counter()
        self.last_drops_report = time.monotonic()

    # -- connection ----------------------------------------------------------
    def connect(self) -> bool:
        """One connection attempt; failures wait for the backoff."""
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self.session_expiry
        try:
            if self.ever_connected:
                result = self.client.reconnect()
            else:
                result = self.client.connect(
                    self.address.host, self.address.port, keepalive=30, clean_start=False, properties=properties
                )
        except OSError as error:
            logger.warning("Broker not reachable (%s); next attempt in %.0f s", error, self.backoff.delay)
            self.backoff.failed()
            return False
        self.ever_connected = True
        if result != MQTTErrorCode.MQTT_ERR_SUCCESS:
            self.backoff.failed()
            return False
        self.connecting = True
        return True

    def _on_connect(self, client: Client, userdata, flags, reason_code, properties) -> None:
        self.connecting = False
        if reason_code.is_failure:
            logger.warning("Broker refused the connection: %s", reason_code)
            self.backoff.failed()
            return
        self.subscribed = False
        client.subscribe([(protocol.topic(self.prefix, "+", channel), 1) for channel in CHANNELS])
        self.connected, self.resend_due = True, True
        self.backoff.reset()
        logger.info("Locker bridge connected to %s:%s", self.address.host, self.address.port)

    def _on_subscribe(self, client: Client, userdata, mid, reason_codes, properties) -> None:
        self.subscribed = not any(code.is_failure for code in reason_codes)

    def _on_disconnect(self, client: Client, userdata, flags, reason_code, properties) -> None:
        self.connected = False
        logger.warning("Locker bridge disconnected (%s)", reason_code)

    # -- messages --------------------------------------------------------------
    def _locker_cached(self, controller_id: str) -> Locker | None:
        """Controllers and their keys from memory, reloaded every few seconds (at most once a second on a miss).

        So garbage, forgeries and unknown topics cost no query; a rotated key or
        a new controller is picked up within ``LOCKER_CACHE_SECONDS``.
        """
        now = time.monotonic()
        stale = now - self.lockers_loaded_at >= LOCKER_CACHE_SECONDS
        missing = controller_id not in self.lockers and now - self.lockers_loaded_at >= 1.0
        if stale or missing:
            self.lockers = {locker.controller_id: locker for locker in Locker.objects.all()}
            self.lockers_loaded_at = now
        return self.lockers.get(controller_id)

    def _on_message(self, client: Client, userdata, message: MQTTMessage) -> None:
        parts = message.topic[len(self.prefix) + 1 :].split("/")
        if len(parts) != 2 or parts[1] not in CHANNELS:
            return
        cached = self._locker_cached(parts[0])
        if cached is None or not message_admissible(locker=cached, channel=parts[1], payload=message.payload):
            self.dropped[parts[0] if cached is not None else "?"] += 1
            return
        # Only a verified, valid message reaches the database; read the row fresh for it.
        locker = Locker.objects.filter(pk=cached.pk).first()
        if locker is None:
            return
        try:
            marked_online = message_receive(locker=locker, channel=parts[1], payload=message.payload)
            # Only a verified, fresh presence may trigger a resend: never an unsigned or replayed one.
            if parts[1] == "presence" and marked_online is True:
                self.resend(locker=locker)
        except Exception:
            logger.exception("Could not store a message from %s on %s", parts[0], parts[1])
            close_old_connections()

    # -- the loop ------------------------------------------------------------------
    def poll(self, timeout: float = 0.1) -> None:
        """One turn: connect if due, exchange packets, run the periodic jobs."""
        if not (self.connected or self.connecting) and self.backoff.due():
            self.connect()
        if self.connected or self.connecting:
            result = self.client.loop(timeout=timeout)
            if result != MQTTErrorCode.MQTT_ERR_SUCCESS:
                self.connected = self.connecting = False
                self.backoff.failed()
        else:
            time.sleep(timeout)  # waiting for the reconnect backoff
        if self.connected and self.resend_due:
            self.resend_due = False
            self.resend()
        if time.monotonic() - self.last_periodic >= 1.0:
            self.last_periodic = time.monotonic()
            self.periodic()

    def drops_report(self) -> None:
        """Once a minute: alert staff about a controller whose topics carried many invalid messages."""
        dropped, self.dropped = self.dropped, Counter()
        for controller_id, count in dropped.items():
            logger.warning("Dropped %d invalid messages on %s's topics in the last minute", count, controller_id)
            locker = self.lockers.get(controller_id)
            if locker is not None and count >= DROPS_ALERT_PER_MINUTE:
                alert_raise(
                    locker=locker,
                    kind=Alert.Kind.MESSAGES_DROPPED,
                    dedup_key=f"dropped:{locker.pk}",
                    message=(
                        f"{locker.location_label}: {count} ungültige oder gefälschte Nachrichten in einer Minute "
                        "verworfen. Zugangsdaten der Anlage am Broker prüfen."
                    ),
                )

    def periodic(self) -> None:
        if time.monotonic() - self.last_drops_report >= 60:
            self.last_drops_report = time.monotonic()
            self.drops_report()
        commands_expire_overdue()
        controllers_check_health()
        pins_reconcile()
        if self.connected:
            for command in commands_resendable(pending_for=PENDING_RESEND_AFTER):
                command_publish(command=command)

    def resend(self, *, locker: Locker | None = None) -> int:
        """After a (re)connect, or when a controller announces itself: resend unfinished commands before expiry.

        The controller deduplicates by ``command_id``, so a resend never opens twice.
        """
        commands = commands_resendable(locker=locker)
        for command in commands:
            command_publish(command=command)
        if commands:
            logger.info("Resent %d unfinished commands after connecting", len(commands))
        return len(commands)

    def run_forever(self, *, should_stop: Callable[[], bool] = lambda: False) -> None:
        while not should_stop():
            self.poll()
        self.close()

    def close(self) -> None:
        if self.connected:
            self.client.disconnect()
            self.client.loop(timeout=0.1)
        self.connected = False


def bridge_from_settings() -> Bridge:
    return Bridge(
        url=settings.MQTT_URL,
        prefix=settings.LOCKER_TOPIC_PREFIX,
        client_id=settings.LOCKER_BRIDGE_CLIENT_ID,
        tls=TlsFiles.from_settings(),
    )
