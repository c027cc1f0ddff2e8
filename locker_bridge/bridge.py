"""The process behind ``manage.py locker_bridge``: the only client of the broker on the portal's side.

It holds a persistent MQTT 5 session (fixed client id, ``clean_start`` off), so
the broker keeps acknowledgements and events for it while it restarts.

- **Intake** (``locker_bridge/intake.py``): every message is verified in memory,
  rate-limited per controller and queued, bounded; the queue is stored in
  batches, one transaction each. Reading never waits for the database, so a
  flood cannot fill the broker's queue for this session.
- **Outbox**: pending ``Command`` rows are published on this connection every
  ``OUTBOX_POLL_SECONDS``; a command is ``sent`` when the broker's PUBACK comes.
  Web processes and tasks never connect to the broker (docs/decisions.md).
- **Every second**: the reaper, the health check, PIN reconciliation and the
  drop counts; every ``LOCKER_STATE_REPORT_SECONDS`` a state report from each
  online controller, so a lost door event is repaired while it stays online.
- After each (re)connect it resends every unfinished command that has not expired.
"""

import contextlib
import logging
import select
import socket
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from paho.mqtt.client import Client, MQTTErrorCode, MQTTMessage
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils import timezone

from locker_bridge import protocol
from locker_bridge.drivers.mqtt import TlsFiles, client_new
from locker_bridge.intake import BURST, QUEUE_LIMIT, RATE_PER_SECOND, Admitted, Drop, Intake
from locker_bridge.models import Alert, Command, Locker
from locker_bridge.services import command_publish, commands_expire_overdue, controllers_check_health
from locker_bridge.services.commands import command_mark_sent, commands_resendable
from locker_bridge.services.health import alert_raise, state_reports_request
from locker_bridge.services.ingestion import message_store
from locker_bridge.services.pins import pins_reconcile

logger = logging.getLogger(__name__)

SESSION_EXPIRY_SECONDS = 24 * 3600
CHANNELS = ("ack", "event", "heartbeat", "presence")
LOCKER_CACHE_SECONDS = 10.0
DROPS_ALERT_PER_MINUTE = 100
OUTBOX_POLL_SECONDS = 0.025
# A published command whose PUBACK has not come after this long is published again.
PUBACK_WAIT_SECONDS = 2.0
# What the broker queued while the bridge was away arrives right after it connects, late by the
# time it was away: a controller's clock is judged behind only on heartbeats received later.
CLOCK_JUDGED_AFTER_CONNECT = timedelta(seconds=10)
BATCH_SIZE = 200
# Packets read per loop turn at most, so the periodic jobs and the outbox still run during a flood.
READ_BURST = 2000


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


def _no_delay(client: Client) -> None:
    """Send each packet at once (TCP_NODELAY) and acknowledge what arrives at once (TCP_QUICKACK, Linux).

    One connection carries small packets both ways. Without this, the broker's
    next packet (an acknowledgement right behind the PUBACK of a command) waits
    for the TCP acknowledgement that this side delays by about 40 ms, and so
    does our next command behind our last PUBACK. The shipped broker setup also
    sets ``set_tcp_nodelay true``. TCP_QUICKACK does not stick, so it is set
    again before every read.
    """
    sock = client.socket()
    if sock is None:
        return
    options = [(socket.IPPROTO_TCP, socket.TCP_NODELAY)]
    if hasattr(socket, "TCP_QUICKACK"):
        options.append((socket.IPPROTO_TCP, socket.TCP_QUICKACK))
    for level, option in options:
        try:
            sock.setsockopt(level, option, 1)
        except OSError:
            return


class Bridge:
    def __init__(
        self,
        *,
        url: str,
        prefix: str,
        client_id: str,
        tls: TlsFiles | None = None,
        session_expiry: int = SESSION_EXPIRY_SECONDS,
        rate: float = RATE_PER_SECOND,
        burst: int = BURST,
        queue_limit: int = QUEUE_LIMIT,
        state_report_seconds: float | None = None,
    ):
        self.prefix, self.session_expiry = prefix, session_expiry
        self.client, self.address = client_new(url=url, client_id=client_id, tls=tls)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.client.on_publish = self._on_publish
        self.intake = Intake(rate=rate, burst=burst, queue_limit=queue_limit)
        # PUBACKs still to come: message id -> (command pk, when published).
        self.awaiting_puback: dict[int, tuple[int, float]] = {}
        self.state_report_every = timedelta(
            seconds=settings.LOCKER_STATE_REPORT_SECONDS if state_report_seconds is None else state_report_seconds
        )
        self.next_state_request = time.monotonic() + self.state_report_every.total_seconds()
        self.subscribed = False
        self.connected = False
        self.connected_since = None
        self.connecting = False
        self.ever_connected = False
        self.resend_due = False
        self.backoff = Backoff()
        self.last_periodic = 0.0
        self.lockers: dict[str, Locker] = {}
        self.lockers_loaded_at = float("-inf")
        # Invalid messages per controller in the current minute (the "Nachrichten verworfen" alert).
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
        _no_delay(client)
        client.subscribe([(protocol.topic(self.prefix, "+", channel), 1) for channel in CHANNELS])
        self.connected, self.resend_due = True, True
        self.connected_since = timezone.now()
        self.backoff.reset()
        logger.info("Locker bridge connected to %s:%s", self.address.host, self.address.port)

    def _on_subscribe(self, client: Client, userdata, mid, reason_codes, properties) -> None:
        self.subscribed = not any(code.is_failure for code in reason_codes)

    def _on_disconnect(self, client: Client, userdata, flags, reason_code, properties) -> None:
        self.connected = False
        self.awaiting_puback.clear()  # everything unfinished is resent after the reconnect
        logger.warning("Locker bridge disconnected (%s)", reason_code)

    # -- the outbox: this process is the mqtt driver ----------------------------
    def command_send(self, *, command: Command, message: dict[str, Any]) -> bool:
        """Publish at QoS 1, not retained, on the bridge's own connection; ``sent`` follows on the PUBACK."""
        if not self.connected:
            return False
        topic = protocol.topic(self.prefix, command.locker.controller_id, "cmd")
        info = self.client.publish(topic, protocol.encode(message), qos=1, retain=False)
        if info.rc == MQTTErrorCode.MQTT_ERR_SUCCESS:
            self.awaiting_puback[info.mid] = (command.pk, time.monotonic())
        else:
            logger.warning("Could not publish command %s (%s); it stays pending", command, info.rc)
        return False

    def _on_publish(self, client: Client, userdata, mid, reason_code, properties) -> None:
        command_pk, _published_at = self.awaiting_puback.pop(mid, (None, 0.0))
        if command_pk is None:
            return
        if reason_code.is_failure:
            logger.warning("The broker refused command %s: %s", command_pk, reason_code)
            return
        command_mark_sent(command_pk=command_pk)

    def outbox_publish(self) -> int:
        """Publish every pending command not already waiting for its PUBACK (or waiting too long)."""
        now = time.monotonic()
        for mid, (_pk, published_at) in list(self.awaiting_puback.items()):
            if now - published_at >= PUBACK_WAIT_SECONDS:
                del self.awaiting_puback[mid]
        waiting = {command_pk for command_pk, _published_at in self.awaiting_puback.values()}
        published = 0
        for command in commands_resendable(pending_for=timedelta(0)):
            if command.pk not in waiting:
                command_publish(command=command, driver=self)
                published += 1
        return published

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
        """Admission only, without the database (``locker_bridge/intake.py``); ``process`` stores the queue."""
        parts = message.topic[len(self.prefix) + 1 :].split("/")
        if len(parts) != 2 or parts[1] not in CHANNELS:
            return
        received_at = timezone.now()
        self.intake.offer(
            locker=self._locker_cached(parts[0]),
            channel=parts[1],
            payload=message.payload,
            received_at=received_at,
            straight_through=self.connected_since is not None
            and received_at - self.connected_since > CLOCK_JUDGED_AFTER_CONNECT,
        )

    def process(self, *, batch_size: int = BATCH_SIZE) -> int:
        """Store up to ``batch_size`` queued messages: acknowledgements first, then the rest, a transaction each.

        Each message has a savepoint of its own, so one whose handler raises is
        rolled back alone and logged. Acknowledgements go first so that the
        answer to a command is committed without waiting for the events
        queued with it. Returns how many were taken from the queue.
        """
        batch = self.intake.batch_take(batch_size)
        if not batch:
            return 0
        lockers = Locker.objects.in_bulk({admitted.locker_pk for admitted in batch})
        acks = [admitted for admitted in batch if admitted.channel == "ack"]
        others = [admitted for admitted in batch if admitted.channel != "ack"]
        came_online: dict[int, Locker] = {}
        for part in (acks, others):
            try:
                # One message needs no outer transaction: its savepoint is the transaction.
                with transaction.atomic() if len(part) > 1 else contextlib.nullcontext():
                    for admitted in part:
                        locker = lockers.get(admitted.locker_pk)
                        online = locker is not None and self._store(locker, admitted) is True
                        if online and admitted.channel == "presence":
                            came_online[locker.pk] = locker
            except Exception:
                logger.exception("Could not store a batch of %d messages", len(part))
                close_old_connections()
        # Only a verified, fresh presence may trigger a resend: never an unsigned or replayed one.
        for locker in came_online.values():
            self.resend(locker=locker)
        return len(batch)

    @staticmethod
    def _store(locker: Locker, admitted: Admitted) -> Any:
        try:
            return message_store(
                locker=locker,
                channel=admitted.channel,
                message=admitted.message,
                key=admitted.key,
                received_at=admitted.received_at,
                straight_through=admitted.straight_through,
            )
        except Exception:
            logger.exception("Could not store a message from %s on %s", admitted.controller_id, admitted.channel)
            return None

    # -- the loop ------------------------------------------------------------------
    def poll(self, timeout: float = OUTBOX_POLL_SECONDS) -> None:
        """One turn: connect if due, read what the broker has, store a batch, publish the outbox, periodic jobs."""
        if not (self.connected or self.connecting) and self.backoff.due():
            self.connect()
        if self.connected or self.connecting:
            _no_delay(self.client)
            wait = 0.0 if self.intake.queue else timeout
            if self.client.loop(timeout=wait) != MQTTErrorCode.MQTT_ERR_SUCCESS or not self._read_available():
                self.connected = self.connecting = False
                self.backoff.failed()
        else:
            time.sleep(timeout)  # waiting for the reconnect backoff
        self.process()
        if self.connected and self.resend_due:
            self.resend_due = False
            self.resend()
        if self.connected:
            # Every turn: at most OUTBOX_POLL_SECONDS after the commit when idle, and right after
            # the batch that was being stored when the command was written.
            self.outbox_publish()
        if time.monotonic() - self.last_periodic >= 1.0:
            self.last_periodic = time.monotonic()
            self.periodic()

    def _read_available(self) -> bool:
        """Read every packet already waiting (up to ``READ_BURST``); False if the connection broke."""
        for _ in range(READ_BURST):
            sock = self.client.socket()
            if sock is None:
                return True
            pending = getattr(sock, "pending", None)  # TLS may hold decrypted bytes the socket no longer shows
            if not (pending and pending()) and not select.select([sock], [], [], 0)[0]:
                return True
            if self.client.loop(timeout=0) != MQTTErrorCode.MQTT_ERR_SUCCESS:
                return False
        return True

    def drops_flush(self) -> None:
        """Every second: add the intake's drops to ``Locker.messages_dropped``; alert on a controller over its limits.

        Messages dropped for the rate limit or a full queue were well signed: the
        controller (or whoever holds its key) sends too much, and an event among
        them may be lost until the next state report repairs it.
        """
        per_controller: Counter[str] = Counter()
        excess: Counter[str] = Counter()
        for (controller_id, reason), count in self.intake.drops_take().items():
            per_controller[controller_id] += count
            if reason == Drop.INVALID:
                self.dropped[controller_id] += count
            else:
                excess[controller_id] += count
        for controller_id, count in per_controller.items():
            locker = self.lockers.get(controller_id)
            if locker is not None:
                Locker.objects.filter(pk=locker.pk).update(messages_dropped=F("messages_dropped") + count)
        for controller_id, count in excess.items():
            locker = self.lockers.get(controller_id)
            if locker is None:
                continue
            logger.warning("Dropped %d messages of %s over its rate limit or a full queue", count, controller_id)
            alert_raise(
                locker=locker,
                kind=Alert.Kind.MESSAGES_FLOOD,
                dedup_key=f"flood:{locker.pk}",
                message=(
                    f"{locker.location_label}: Die Schließfach-Steuerung sendet zu viele Nachrichten; "
                    f"{count} wurden verworfen. Anlage und Zugangsdaten prüfen; der nächste Zustandsbericht "
                    "gleicht verlorene Türmeldungen ab."
                ),
            )

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
        self.drops_flush()
        if time.monotonic() - self.last_drops_report >= 60:
            self.last_drops_report = time.monotonic()
            self.drops_report()
        commands_expire_overdue()
        controllers_check_health()
        pins_reconcile()
        if self.state_report_every.total_seconds() > 0 and time.monotonic() >= self.next_state_request:
            self.next_state_request = time.monotonic() + self.state_report_every.total_seconds()
            state_reports_request(every=self.state_report_every)

    def resend(self, *, locker: Locker | None = None) -> int:
        """After a (re)connect, or when a controller announces itself: resend unfinished commands before expiry.

        The controller deduplicates by ``command_id``, so a resend never opens twice.
        """
        commands = commands_resendable(locker=locker)
        for command in commands:
            command_publish(command=command, driver=self)
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
