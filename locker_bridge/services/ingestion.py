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


def message_receive(*, locker: Locker, channel: str, payload: bytes | str) -> None:
    """Verify one message from ``locker`` on ``channel`` and store it. Invalid messages are logged and dropped."""
    try:
        message = protocol.decode(payload)
    except protocol.InvalidMessage as error:
        logger.warning("Dropped a message from %s on %s: %s", locker.controller_id, channel, error)
        return
    key = next((key for key in locker_keys_accepted(locker=locker) if protocol.verify(message, key)), None)
    if key is None:
        logger.warning("Dropped a message from %s on %s: bad signature", locker.controller_id, channel)
        return
    if key == locker.secret_key:
        locker_key_confirm(locker=locker)
    if message.get("controller") != locker.controller_id:
        logger.warning("Dropped a message on %s's topic that names %r", locker.controller_id, message.get("controller"))
        return
    handlers = {"ack": ack_record, "event": event_record, "heartbeat": heartbeat_record, "presence": presence_record}
    handler = handlers.get(channel)
    if handler is not None:
        with transaction.atomic():
            handler(locker=locker, message=message)


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
    elif kind == Event.Kind.PIN_WRONG:
        _wrong_pins_check(locker=locker, at=at)
    elif kind == Event.Kind.TAMPER:
        alert_raise(
            locker=locker,
            compartment=compartment,
            kind=Alert.Kind.TAMPER,
            dedup_key=f"tamper:{locker.pk}",
            message=f"{locker.location_label}: {message.get('reason', 'Manipulation gemeldet')}",
        )
    elif kind == Event.Kind.STATE_REPORT:
        controller_mark_online(locker=locker)
        reconcile(locker=locker, compartments=message.get("compartments", []))
        if isinstance(message.get("pins"), list):
            pins_reported(locker=locker, pin_ids=message["pins"], at=at)
        pins_reconcile(locker=locker)
    return event


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


def heartbeat_record(*, locker: Locker, message: dict[str, Any]) -> None:
    """Note the heartbeat with the server's clock; a silent controller is back.

    The controller checks ``expires_at`` with its own clock, so a clock off by
    more than a few seconds makes commands expire early or late: staff get an alert.
    """
    now = timezone.now()
    Locker.objects.filter(pk=locker.pk).update(last_heartbeat_at=now)
    locker.last_heartbeat_at = now
    skew = protocol.parse_timestamp(message["at"]) - now
    if abs(skew) > CLOCK_SKEW_ALERT:
        alert_raise(
            locker=locker,
            kind=Alert.Kind.CLOCK_SKEW,
            dedup_key=f"clock:{locker.pk}",
            message=f"{locker.location_label}: Die Uhr weicht um {skew.total_seconds():+.0f} s ab (NTP prüfen).",
        )
    controller_mark_online(locker=locker)


def presence_record(*, locker: Locker, message: dict[str, Any]) -> None:
    """The retained presence message: ``online: false`` is the controller's last will."""
    if message.get("online"):
        Locker.objects.filter(pk=locker.pk).update(last_heartbeat_at=timezone.now())
        controller_mark_online(locker=locker)
    else:
        controller_mark_offline(locker=locker, reason="Die Steuerung hat sich abgemeldet (Last Will).")
