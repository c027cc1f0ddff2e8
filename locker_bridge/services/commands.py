"""Commands to controllers: written first, published after commit, finished exactly once.

Under the simulated driver a task publishes each command after commit; under
the mqtt driver the pending rows are the outbox that ``manage.py locker_bridge``
polls and publishes on its own connection (docs/decisions.md).

Lifecycle (docs/locker_bridge.md): pending -> sent -> opened | applied | failed |
rejected | expired. Transitions are conditional updates on the current state,
so a late publisher, a duplicate acknowledgement and the reaper can race
without ever moving a terminal command.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from locker_bridge import protocol, signals
from locker_bridge.drivers import Driver, driver_get
from locker_bridge.models import Command, Compartment, Locker, Pin
from locker_bridge.services.keys import locker_keys_accepted, locker_signing_key
from locker_bridge.services.pins import provision_is_stale, retry_delay

logger = logging.getLogger(__name__)

# The reaper expires a command this long after ``expires_at``: enough for an
# acknowledgement already on its way, short enough that every command is
# terminal by expires_at + 5 s with the bridge's one-second reaper.
EXPIRY_GRACE = timedelta(seconds=2)


class PinInUse(ValueError):
    """The PIN is already active on another compartment of this locker: it would open the wrong door."""


def _ttl() -> timedelta:
    return timedelta(seconds=settings.LOCKER_COMMAND_TTL_SECONDS)


def command_create(
    *,
    locker: Locker,
    compartment: Compartment | None,
    kind: str,
    reference: str,
    payload: dict | None = None,
    reason: str = "",
    requested_by: AbstractBaseUser | None = None,
) -> tuple[Command, bool]:
    values = {
        "locker": locker,
        "compartment": compartment,
        "kind": kind,
        "payload": payload or {},
        "reason": reason[:200],
        "requested_by": requested_by if requested_by is not None and requested_by.is_authenticated else None,
        "expires_at": timezone.now() + _ttl(),
    }
    try:
        with transaction.atomic():
            command, created = Command.objects.get_or_create(reference=reference, defaults=values)
    except IntegrityError:
        command, created = Command.objects.get(reference=reference), False
    if created and settings.LOCKER_DRIVER != "mqtt":
        from locker_bridge.tasks import enqueue_command_publish

        transaction.on_commit(lambda: enqueue_command_publish(command_pk=command.pk))
    return command, created


def compartment_open(
    *, compartment: Compartment, reason: str, reference: str, requested_by: AbstractBaseUser | None = None
) -> Command:
    """Ask the controller to release a compartment's latch once.

    Idempotent on ``reference``. The door opens at most once per command, and
    never after ``expires_at``. Watch ``command_finished`` for the result and
    ``compartment_door_opened`` for the door itself.
    """
    command, _created = command_create(
        locker=compartment.locker,
        compartment=compartment,
        kind=Command.Kind.OPEN,
        reference=reference,
        reason=reason,
        requested_by=requested_by,
    )
    return command


def pin_provision(
    *, compartment: Compartment, pin: str, valid_from: datetime, valid_until: datetime, reference: str
) -> Command:
    """Put a PIN on the controller that opens ``compartment`` between ``valid_from`` and ``valid_until``.

    Idempotent on ``reference``. Only an HMAC of the PIN leaves this function.
    Raises ``PinInUse`` when the same PIN is active on another compartment of
    the locker in an overlapping window (choose another PIN).
    """
    existing = Command.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    locker = compartment.locker
    # Hashed under the key the controller holds; during a key rotation a PIN
    # hashed under the other key clashes just the same (services/keys.py).
    digest = protocol.pin_hash(pin, locker_signing_key(locker=locker))
    digests = {protocol.pin_hash(pin, key) for key in locker_keys_accepted(locker=locker)} | {digest}
    with transaction.atomic():
        clash = Pin.objects.filter(
            locker=locker,
            pin_hash__in=digests,
            revoked_at__isnull=True,
            valid_from__lt=valid_until,
            valid_until__gt=valid_from,
        ).exclude(compartment=compartment)
        if clash.exists():
            raise PinInUse("This PIN is already active on another compartment of this locker.")
        command, created = command_create(
            locker=locker,
            compartment=compartment,
            kind=Command.Kind.PIN_PROVISION,
            reference=reference,
            payload={
                "pin_hash": digest,
                "valid_from": protocol.timestamp(valid_from),
                "valid_until": protocol.timestamp(valid_until),
            },
        )
        if created:
            Pin.objects.create(
                locker=locker,
                compartment=compartment,
                provision=command,
                pin_hash=digest,
                valid_from=valid_from,
                valid_until=valid_until,
                sync_command=command,
                sync_attempts=1,
                next_sync_at=timezone.now() + retry_delay(1),
            )
    return command


def pin_revoke(*, compartment: Compartment, reference: str, provision_reference: str = "") -> Command:
    """Remove PINs from the controller: all of the compartment's, or the one set by ``provision_reference``.

    Idempotent on ``reference``. The PINs stop counting as active for
    ``PinInUse`` at once; the controller forgets them when it applies the command.
    """
    existing = Command.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        pins = Pin.objects.select_for_update().filter(compartment=compartment, revoked_at__isnull=True)
        if provision_reference:
            pins = pins.filter(provision__reference=provision_reference)
        pin_ids = [str(command_id) for command_id in pins.values_list("provision__command_id", flat=True)]
        command, created = command_create(
            locker=compartment.locker,
            compartment=compartment,
            kind=Command.Kind.PIN_REVOKE,
            reference=reference,
            payload={"pin_ids": pin_ids},
        )
        if created:
            Pin.objects.filter(provision__command_id__in=pin_ids).update(
                revoked_at=timezone.now(), sync_command=command, sync_attempts=1, next_sync_at=None
            )
    return command


def state_report_request(*, locker: Locker, reference: str) -> Command:
    """Ask a controller to report every compartment's door and occupancy (used after it reconnects)."""
    command, _created = command_create(
        locker=locker, compartment=None, kind=Command.Kind.STATE_REPORT, reference=reference
    )
    return command


def command_message(*, command: Command) -> dict:
    """The signed wire message of a command (docs/locker_protocol.md, "Commands")."""
    locker = command.locker
    message = {
        "v": protocol.VERSION,
        "type": command.kind,
        "command_id": str(command.command_id),
        "controller": locker.controller_id,
        "issued_at": protocol.timestamp(command.created_at),
        "expires_at": protocol.timestamp(command.expires_at),
        **command.payload,
    }
    if command.compartment_id is not None:
        message["compartment"] = command.compartment.number
    if command.kind == Command.Kind.PIN_PROVISION:
        message.setdefault("pin_id", str(command.command_id))
    return protocol.sign(message, locker_signing_key(locker=locker))


def command_transition(*, command: Command, to: str, reason: str = "") -> bool:
    """Move ``command`` to state ``to`` if the state machine allows it from its current state.

    Returns whether this call made the move. A move into a terminal state sends
    ``command_finished`` exactly once.
    """
    allowed_from = [state for state, targets in Command.TRANSITIONS.items() if to in targets]
    now = timezone.now()
    fields: dict = {"state": to}
    if to == Command.State.SENT:
        fields["sent_at"] = now
    else:
        fields["finished_at"], fields["result_reason"] = now, reason[:200]
    with transaction.atomic():
        moved = Command.objects.filter(pk=command.pk, state__in=allowed_from).update(**fields)
        if not moved:
            return False
        command.refresh_from_db()
        if command.is_finished:
            signals.send_safely(signals.command_finished, sender=Command, command=command)
    return True


def command_publish(*, command: Command, driver: Driver | None = None) -> Command:
    """Hand a command to the driver unless it is finished or expired. Safe to call again (resend).

    The controller deduplicates by ``command_id``, so a resend before expiry can
    never open a door twice; after expiry nothing is sent at all. ``driver`` is
    the bridge under the mqtt driver; by default the configured driver.
    """
    driver = driver or driver_get()
    command = Command.objects.select_related("locker", "compartment").get(pk=command.pk)
    if command.is_finished or command.expires_at <= timezone.now():
        return command
    if provision_is_stale(command=command):
        command_transition(command=command, to=Command.State.EXPIRED, reason="PIN revoked before it was sent")
        command.refresh_from_db()
        return command
    message = command_message(command=command)
    Command.objects.filter(pk=command.pk).update(attempts=F("attempts") + 1)
    if driver.command_send(command=command, message=message):
        command_transition(command=command, to=Command.State.SENT)
        command.refresh_from_db()
    return command


def command_mark_sent(*, command_pk: int) -> bool:
    """The broker took the command (PUBACK): pending -> sent, in one conditional update. Sends no signal.

    ``sent`` is not terminal, so there is nothing to tell rentals; a command
    that an acknowledgement already finished stays as it is.
    """
    allowed_from = [state for state, targets in Command.TRANSITIONS.items() if Command.State.SENT in targets]
    return bool(
        Command.objects.filter(pk=command_pk, state__in=allowed_from).update(
            state=Command.State.SENT, sent_at=timezone.now()
        )
    )


def commands_expire_overdue(*, now: datetime | None = None) -> int:
    """The reaper: expire every unfinished command past ``expires_at`` + grace. Idempotent.

    Runs every second in ``manage.py locker_bridge`` and every minute from the
    django-q schedule (``locker_bridge.tasks.locker_periodic_task``).
    """
    now = now or timezone.now()
    overdue = Command.objects.filter(
        state__in=[Command.State.PENDING, Command.State.SENT], expires_at__lt=now - EXPIRY_GRACE
    )
    expired = 0
    for command in overdue:
        expired += command_transition(command=command, to=Command.State.EXPIRED, reason="no acknowledgement in time")
    return expired


def commands_resendable(*, locker: Locker | None = None, pending_for: timedelta | None = None) -> list[Command]:
    """Unfinished commands that may still be sent: strictly before expiry.

    With ``pending_for``, only commands still pending after that long (their
    publish task was lost or the broker was down).
    """
    now = timezone.now()
    commands = Command.objects.filter(
        state__in=[Command.State.PENDING, Command.State.SENT], expires_at__gt=now
    ).select_related("locker", "compartment")
    if locker is not None:
        commands = commands.filter(locker=locker)
    if pending_for is not None:
        commands = commands.filter(state=Command.State.PENDING, created_at__lt=now - pending_for)
    return list(commands.order_by("created_at"))
