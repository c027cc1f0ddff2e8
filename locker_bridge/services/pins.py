"""The PINs' desired state, converged onto the controller (docs/locker_bridge.md, "Desired state").

A ``Pin`` row says what should be on the controller: a PIN not revoked and
still inside its window should be there, a revoked one must not be. A command
can expire unheard (the controller was offline, the broker lost it), so a
single provision or revoke proves nothing. ``pins_reconcile`` keeps sending a
fresh command, with backoff, until the controller confirms, by
acknowledgement or by listing the PIN ids it holds in a state report. A revoke
never gives up while the PIN could still open; one that stays unconfirmed for
a minute raises a staff alert.
"""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from locker_bridge.models import Alert, Command, Locker, Pin
from locker_bridge.services.health import alert_raise

RETRY_FIRST = timedelta(seconds=5)
RETRY_MAX = timedelta(minutes=5)
REVOKE_ALERT_AFTER = timedelta(minutes=1)


def retry_delay(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s … at most 5 minutes between attempts (a reconnect resets the wait)."""
    return min(RETRY_FIRST * 2 ** max(attempts - 1, 0), RETRY_MAX)


def pins_unconfirmed(*, locker: Locker | None = None, now: datetime | None = None) -> QuerySet[Pin]:
    """PINs whose state on the controller is not yet confirmed and still matters (before ``valid_until``)."""
    now = now or timezone.now()
    pins = Pin.objects.filter(valid_until__gt=now).filter(
        Q(revoked_at__isnull=True, applied_at__isnull=True) | Q(revoked_at__isnull=False, removed_at__isnull=True)
    )
    if locker is not None:
        pins = pins.filter(locker=locker)
    return pins


def _wanted_kind(pin: Pin) -> str:
    return Command.Kind.PIN_PROVISION if pin.revoked_at is None else Command.Kind.PIN_REVOKE


def _in_flight(pin: Pin, now: datetime) -> bool:
    command = pin.sync_command
    return (
        command is not None
        and command.kind == _wanted_kind(pin)
        and not command.is_finished
        and command.expires_at > now
    )


def pin_sync_send(*, pin: Pin, now: datetime | None = None) -> Command:
    """Send the command that moves the controller towards ``pin``'s desired state, now.

    Idempotent per attempt: the reference carries the attempt number, so two
    reconcilers racing on the same attempt create one command.
    """
    from locker_bridge.services.commands import command_create

    now = now or timezone.now()
    attempt = pin.sync_attempts + 1
    kind = _wanted_kind(pin)
    if kind == Command.Kind.PIN_PROVISION:
        payload = {**pin.provision.payload, "pin_id": pin.pin_id}
    else:
        payload = {"pin_ids": [pin.pin_id]}
    command, _created = command_create(
        locker=pin.locker,
        compartment=pin.compartment,
        kind=kind,
        reference=f"pin-{pin.pk}-{kind}-{attempt}",
        payload=payload,
    )
    Pin.objects.filter(pk=pin.pk).update(
        sync_command=command, sync_attempts=attempt, next_sync_at=now + retry_delay(attempt)
    )
    return command


def pins_reconcile(*, locker: Locker | None = None, now: datetime | None = None) -> int:
    """Send whatever the controllers still lack; alert on revokes unconfirmed after a minute. Idempotent.

    Runs every second in ``manage.py locker_bridge``, every minute from the
    periodic job, and after every state report. Sends only to controllers that
    are online (a reconnect clears the backoff, see ``pins_retry_now``).
    Returns the number of commands sent.
    """
    now = now or timezone.now()
    sent = 0
    pins = pins_unconfirmed(locker=locker, now=now).select_related("locker", "compartment", "provision", "sync_command")
    for pin in pins:
        if pin.revoked_at is not None and pin.revoked_at <= now - REVOKE_ALERT_AFTER:
            alert_raise(
                locker=pin.locker,
                compartment=pin.compartment,
                kind=Alert.Kind.REVOKE_UNCONFIRMED,
                dedup_key=f"revoke-unconfirmed:{pin.pk}",
                message=(
                    f"{pin.compartment}: Eine gelöschte PIN ist von der Anlage noch nicht bestätigt und könnte "
                    "das Fach noch öffnen. Fach erst nach der Bestätigung neu belegen."
                ),
            )
        if not pin.locker.is_online or _in_flight(pin, now):
            continue
        if pin.next_sync_at is not None and pin.next_sync_at > now:
            continue
        pin_sync_send(pin=pin, now=now)
        sent += 1
    return sent


def pins_retry_now(*, locker: Locker) -> int:
    """The controller is reachable again: clear the backoff so the next reconcile sends at once."""
    return pins_unconfirmed(locker=locker).update(next_sync_at=None)


def pin_resend(*, reference: str) -> Command | None:
    """Staff pressed "PIN erneut senden": send the PIN provisioned under ``reference`` (or its revoke) now.

    Ignores the backoff. Returns the new command, or None when there is no such
    PIN or nothing is left to confirm.
    """
    pin = (
        pins_unconfirmed()
        .filter(provision__reference=reference)
        .select_related("locker", "compartment", "provision")
        .first()
    )
    return pin_sync_send(pin=pin) if pin is not None else None


def pin_id_of(command: Command) -> str:
    """The PIN a provision command carries: retries name the first provision's id in their payload."""
    return str(command.payload.get("pin_id") or command.command_id)


def pin_command_applied(*, command: Command, at: datetime) -> None:
    """The controller confirmed a provision or revoke (``at`` is its own clock). Late confirmations count too.

    A provision confirmed after its PIN was revoked means the PIN is on the
    controller again: the revoke is due once more.
    """
    if command.kind == Command.Kind.PIN_PROVISION:
        Pin.objects.filter(provision__command_id=pin_id_of(command)).update(
            applied_at=at, removed_at=None, next_sync_at=None
        )
    elif command.kind == Command.Kind.PIN_REVOKE:
        pin_ids = [pin_id for pin_id in command.payload.get("pin_ids", []) if isinstance(pin_id, str)]
        Pin.objects.filter(provision__command_id__in=pin_ids, revoked_at__isnull=False, removed_at__isnull=True).update(
            removed_at=at
        )


def pins_reported(*, locker: Locker, pin_ids: list[str], at: datetime) -> None:
    """A state report listed the PIN ids the controller holds: confirm or undo what the bridge believed.

    Only PINs still inside their window matter (the controller drops the others
    itself). A revoke counts as confirmed only if the report is newer than the
    last provision the controller confirmed.
    """
    held = set(pin_ids)
    for pin in Pin.objects.filter(locker=locker, valid_until__gt=at).select_related("provision"):
        on_controller = pin.pin_id in held
        if pin.revoked_at is None and on_controller and pin.applied_at is None:
            Pin.objects.filter(pk=pin.pk).update(applied_at=at)
        elif pin.revoked_at is None and not on_controller and pin.applied_at is not None:
            Pin.objects.filter(pk=pin.pk).update(applied_at=None, next_sync_at=None)
        elif pin.revoked_at is not None and on_controller:
            Pin.objects.filter(pk=pin.pk).update(removed_at=None, next_sync_at=None)
        elif pin.revoked_at is not None and pin.removed_at is None and (pin.applied_at or at) <= at:
            Pin.objects.filter(pk=pin.pk).update(removed_at=at)


def provision_is_stale(*, command: Command) -> bool:
    """A provision whose PIN was revoked before it went out must not be sent (it would open again)."""
    return (
        command.kind == Command.Kind.PIN_PROVISION
        and Pin.objects.filter(provision__command_id=pin_id_of(command), revoked_at__isnull=False).exists()
    )
