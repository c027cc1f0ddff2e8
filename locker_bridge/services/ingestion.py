"""Messages from controllers: acknowledgements, events, heartbeats and presence.

Both drivers end here, so the simulated driver exercises the same checks as
production: signature, version, deduplication by controller and event id.
"""

import logging
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from locker_bridge import protocol, signals
from locker_bridge.models import Alert, Command, Compartment, Event, Locker, Pin
from locker_bridge.services.commands import command_transition
from locker_bridge.services.health import alert_raise, controller_mark_offline, controller_mark_online, reconcile
from locker_bridge.services.keys import locker_key_confirm, locker_keys_accepted
from locker_bridge.services.pins import pin_command_applied, pins_reconcile, pins_reported

logger = logging.getLogger(__name__)

ACK_STATES = {
    "opened": Command.State.OPENED,
    "applied": Command.State.APPLIED,
    "failed": Command.State.FAILED,
    "rejected": Command.State.REJECTED,
    "expired": Command.State.EXPIRED,
}


def message_verified(*, locker: Locker, channel: str, payload: bytes | str) -> tuple[dict[str, Any], str] | None:
    """The decoded message and the key that verified it, or None. Decoding, schema, controller and signature only.

    Touches no database, so the bridge can drop a flood of garbage or forgeries
    before any query (docs/locker_bridge.md, "Floods"). ``locker`` may be the
    bridge's cached copy: only its id and keys are read.
    """
    try:
        message = protocol.decode(payload)
    except protocol.InvalidMessage as error:
        logger.debug("Dropped a message from %s on %s: %s", locker.controller_id, channel, error)
        return None
    errors = protocol.schema_errors(channel, message) if channel in protocol.SCHEMA_OF_CHANNEL else ["no such channel"]
    if errors:
        logger.debug("Dropped a message from %s on %s: %s", locker.controller_id, channel, "; ".join(errors[:3]))
        return None
    if message.get("controller") != locker.controller_id:
        logger.debug("Dropped a message on %s's topic that names %r", locker.controller_id, message.get("controller"))
        return None
    key = next((key for key in locker_keys_accepted(locker=locker) if protocol.verify(message, key)), None)
    if key is None:
        logger.debug("Dropped a message from %s on %s: bad signature", locker.controller_id, channel)
        return None
    return message, key


def message_store(
    *,
    locker: Locker,
    channel: str,
    message: dict[str, Any],
    key: str,
    received_at: datetime | None = None,
    straight_through: bool = True,
) -> Any:
    """Act on a message that ``message_verified`` passed, in one transaction (a savepoint inside a batch).

    Returns what the channel's handler returned (for presence: whether it
    marked the controller online).
    """
    handlers = {"ack": ack_record, "event": event_record, "heartbeat": heartbeat_record, "presence": presence_record}
    with transaction.atomic():
        if key == locker.secret_key:
            locker_key_confirm(locker=locker)
        if channel == "heartbeat":
            return heartbeat_record(
                locker=locker, message=message, received_at=received_at, straight_through=straight_through
            )
        return handlers[channel](locker=locker, message=message)


def message_receive(*, locker: Locker, channel: str, payload: bytes | str) -> Any:
    """Verify one message from ``locker`` on ``channel`` and store it. Invalid messages are logged and dropped.

    Returns what the channel's handler returned, or None for a dropped message.
    """
    verified = message_verified(locker=locker, channel=channel, payload=payload)
    if verified is None:
        logger.warning("Dropped an invalid or forged message from %s on %s", locker.controller_id, channel)
        return None
    message, key = verified
    return message_store(locker=locker, channel=channel, message=message, key=key)


def ack_record(*, locker: Locker, message: dict[str, Any]) -> Command | None:
    """Settle a command from its acknowledgement. Duplicates and late answers change nothing."""
    command = Command.objects.filter(locker=locker, command_id=message.get("command_id")).first()
    if command is None:
        logger.warning("Acknowledgement for an unknown command %s from %s", message.get("command_id"), locker)
        return None
    result = message.get("result")
    if result == "duplicate":
        result = message.get("original_result")
    state = ACK_STATES.get(result)
    if state is None:
        return command
    if state == Command.State.APPLIED:
        # The controller's word, even when it comes after the reaper expired the command.
        pin_command_applied(command=command, at=protocol.parse_timestamp(message["at"]))
    if command.is_finished:
        if state == Command.State.OPENED and command.state != Command.State.OPENED:
            alert_raise(
                locker=locker,
                compartment=command.compartment,
                kind=Alert.Kind.LATE_OPEN,
                dedup_key=f"late-open:{command.command_id}",
                message=f"Fach {command.compartment.number}: Öffnung gemeldet, obwohl der Befehl {command.state} ist.",
            )
        return command
    moved = command_transition(command=command, to=state, reason=str(message.get("reason", "")))
    if moved and state == Command.State.FAILED and command.kind == Command.Kind.OPEN:
        alert_raise(
            locker=locker,
            compartment=command.compartment,
            kind=Alert.Kind.COMMAND_FAILED,
            dedup_key=f"failed:{command.command_id}",
            message=f"Fach {command.compartment.number} ließ sich nicht öffnen: {command.result_reason}",
        )
    command.refresh_from_db()
    return command


def _reference_of(message: dict[str, Any]) -> str:
    if message.get("command_id"):
        command = Command.objects.filter(command_id=message["command_id"]).only("reference").first()
        return command.reference if command else ""
    if message.get("pin_id"):
        pin = Pin.objects.filter(provision__command_id=message["pin_id"]).select_related("provision").first()
        return pin.provision.reference if pin else ""
    return ""


def _door_update(compartment: Compartment, *, at: datetime, door: str, occupied: bool | None = None) -> None:
    """Apply a door change unless a newer one was already applied (events may arrive out of order)."""
    if compartment.door_changed_at is not None and compartment.door_changed_at > at:
        return
    compartment.door_state, compartment.door_changed_at = door, at
    fields = ["door_state", "door_changed_at"]
    if compartment.report_ahead_since is not None:  # the event a state report was ahead of has come
        compartment.report_ahead_since = None
        fields.append("report_ahead_since")
    if occupied is not None:
        compartment.is_occupied = occupied
        fields.append("is_occupied")
    compartment.save(update_fields=fields)


def event_record(*, locker: Locker, message: dict[str, Any]) -> Event | None:
    """Store an event once per (controller, event id), update the compartment, send the signal."""
    kind = message.get("type")
    if kind not in Event.Kind.values:
        return None
    compartment = None
    if message.get("compartment") is not None:
        compartment = Compartment.objects.filter(locker=locker, number=message["compartment"]).first()
    at = protocol.parse_timestamp(message["at"])
    try:
        with transaction.atomic():
            event = Event.objects.create(
                locker=locker,
                compartment=compartment,
                event_id=str(message["event_id"])[:64],
                kind=kind,
                occurred_at=at,
                payload={key: value for key, value in message.items() if key not in {"sig", "v"}},
            )
    except IntegrityError:
        return None
    if kind == Event.Kind.DOOR_OPENED and compartment is not None:
        _door_update(compartment, at=at, door=Compartment.Door.OPEN)
        signals.send_safely(
            signals.compartment_door_opened,
            sender=Compartment,
            compartment=compartment,
            at=at,
            via=message.get("via", "key"),
            reference=_reference_of(message),
        )
    elif kind == Event.Kind.DOOR_CLOSED and compartment is not None:
        occupied = bool(message.get("occupied"))
        _door_update(compartment, at=at, door=Compartment.Door.CLOSED, occupied=occupied)
        signals.send_safely(
            signals.compartment_door_closed, sender=Compartment, compartment=compartment, at=at, occupied=occupied
        )
    elif kind in (Event.Kind.PIN_WRONG, Event.Kind.KEYPAD_LOCKED, Event.Kind.TAMPER):
        _keypad_and_tamper_alerts(locker=locker, compartment=compartment, message=message, at=at)
    elif kind == Event.Kind.STATE_REPORT:
        controller_mark_online(locker=locker)
        reconcile(locker=locker, compartments=message.get("compartments", []), at=at)
        if isinstance(message.get("pins"), list):
            pins_reported(locker=locker, pin_ids=message["pins"], at=at)
        pins_reconcile(locker=locker)
    return event


def _keypad_and_tamper_alerts(
    *, locker: Locker, compartment: Compartment | None, message: dict[str, Any], at: datetime
) -> None:
    """Someone at the keypad or the housing: wrong PINs, a keypad lockout, a tamper report."""
    kind = message["type"]
    if kind == Event.Kind.PIN_WRONG:
        _wrong_pins_check(locker=locker, at=at)
    elif kind == Event.Kind.KEYPAD_LOCKED:
        until = timezone.localtime(protocol.parse_timestamp(message["locked_until"]))
        alert_raise(
            locker=locker,
            kind=Alert.Kind.KEYPAD_LOCKED,
            dedup_key=f"keypad-locked:{locker.pk}",
            message=(
                f"{locker.location_label}: Tastenfeld nach {message['failures']} falschen PINs "
                f"bis {until:%H:%M:%S} Uhr gesperrt. Jemand probiert PINs aus; bitte vor Ort nachsehen."
            ),
        )
    elif kind == Event.Kind.TAMPER:
        alert_raise(
            locker=locker,
            compartment=compartment,
            kind=Alert.Kind.TAMPER,
            dedup_key=f"tamper:{locker.pk}",
            message=f"{locker.location_label}: {message.get('reason', 'Manipulation gemeldet')}",
        )


WRONG_PINS_ALERT_COUNT = 5
WRONG_PINS_WINDOW = timedelta(minutes=10)


def _wrong_pins_check(*, locker: Locker, at: datetime) -> None:
    """Someone trying PINs at the keypad: alert staff after 5 wrong entries in 10 minutes."""
    recent = Event.objects.filter(locker=locker, kind=Event.Kind.PIN_WRONG, occurred_at__gte=at - WRONG_PINS_WINDOW)
    if recent.count() >= WRONG_PINS_ALERT_COUNT:
        alert_raise(
            locker=locker,
            kind=Alert.Kind.TAMPER,
            dedup_key=f"pin-wrong:{locker.pk}",
            message=f"{locker.location_label}: {WRONG_PINS_ALERT_COUNT} falsche PINs in 10 Minuten.",
        )


CLOCK_SKEW_ALERT = timedelta(seconds=5)
# Liveness older or newer than this (by the server's clock) is ignored: a
# recorded heartbeat replayed later, or a controller whose clock is far off.
LIVENESS_WINDOW = timedelta(seconds=90)


def _liveness_is_newer(locker: Locker, message: dict[str, Any], at: datetime) -> bool:
    """Newer than the last accepted liveness message: a higher counter in the same boot, or a later boot."""
    boot, seq = message.get("boot"), message.get("seq")
    if not isinstance(boot, str) or not isinstance(seq, int) or isinstance(seq, bool):
        return False
    if boot == locker.liveness_boot:
        return seq > locker.liveness_seq
    return locker.liveness_at is None or at > locker.liveness_at


def _liveness_accept(locker: Locker, message: dict[str, Any], at: datetime, **fields: Any) -> None:
    values = {"liveness_boot": message["boot"], "liveness_seq": message["seq"], "liveness_at": at, **fields}
    Locker.objects.filter(pk=locker.pk).update(**values)
    for name, value in values.items():
        setattr(locker, name, value)


def heartbeat_record(
    *,
    locker: Locker,
    message: dict[str, Any],
    received_at: datetime | None = None,
    straight_through: bool = True,
) -> bool:
    """Note a fresh heartbeat; a silent controller is back. Returns whether it was accepted.

    A heartbeat counts only if it is newer than the last accepted one (boot id
    and counter, signed) and its time is within ``LIVENESS_WINDOW`` of the
    server's: a replay changes nothing. The controller checks ``expires_at``
    with its own clock, so a clock off by more than a few seconds raises an alert:
    measured against ``received_at`` (when the bridge read it, not when a busy
    queue let it reach the database), and for a clock that seems behind only if
    the heartbeat came ``straight_through`` (not queued at the broker while the
    bridge was away, which makes any message look old).
    """
    locker = Locker.objects.select_for_update().get(pk=locker.pk)
    now = received_at or timezone.now()
    at = protocol.parse_timestamp(message["at"])
    if not _liveness_is_newer(locker, message, at):
        logger.warning("Ignored a replayed or out-of-order heartbeat from %s", locker.controller_id)
        return False
    skew = at - now
    if abs(skew) > LIVENESS_WINDOW:
        logger.warning("Ignored a heartbeat from %s that is %+.0f s off", locker.controller_id, skew.total_seconds())
        return False
    _liveness_accept(locker, message, at, last_heartbeat_at=now)
    locker.last_heartbeat_at = now
    if abs(skew) > CLOCK_SKEW_ALERT and (straight_through or skew > timedelta(0)):
        alert_raise(
            locker=locker,
            kind=Alert.Kind.CLOCK_SKEW,
            dedup_key=f"clock:{locker.pk}",
            message=f"{locker.location_label}: Die Uhr weicht um {skew.total_seconds():+.0f} s ab (NTP prüfen).",
        )
    controller_mark_online(locker=locker)
    return True


def presence_record(*, locker: Locker, message: dict[str, Any]) -> bool:
    """The retained presence: ``online: true`` starts a connection, ``online: false`` is its last will.

    Returns whether the controller was marked online by it. A presence online
    counts only if newer than the last accepted liveness message (a retained
    one from long ago registers its connection but marks nothing online); a
    will counts only if it names the connection that is current, so a will
    recorded from an earlier connection and replayed is ignored (until the
    bridge has accepted any liveness from the controller, its will counts).
    """
    locker = Locker.objects.select_for_update().get(pk=locker.pk)
    at = protocol.parse_timestamp(message["at"])
    if message.get("online"):
        if not _liveness_is_newer(locker, message, at):
            logger.warning("Ignored a replayed presence from %s", locker.controller_id)
            return False
        _liveness_accept(locker, message, at, liveness_connection=message["seq"])
        if abs(at - timezone.now()) > LIVENESS_WINDOW:
            return False
        Locker.objects.filter(pk=locker.pk).update(last_heartbeat_at=timezone.now())
        controller_mark_online(locker=locker)
        return True
    connection = message.get("connection")
    never_heard = not locker.liveness_boot  # no liveness accepted yet (a new or upgraded controller)
    if not never_heard and (message.get("boot") != locker.liveness_boot or connection != locker.liveness_connection):
        logger.warning("Ignored a last will of %s for a connection that is not current", locker.controller_id)
        return False
    controller_mark_offline(locker=locker, reason="Die Steuerung hat sich abgemeldet (Last Will).")
    return False
