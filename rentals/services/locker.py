"""Pickup, return and opening: rentals' side of the locker boundary.

``locker_bridge`` owns the hardware and tells us what happened through its
signals; the receivers in ``rentals.signals`` call the functions here. We call
``locker_bridge.services`` with references derived from the reservation, so a
retried call never sends a second command.
"""

import datetime
import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from locker_bridge import services as locker_services
from locker_bridge.models import Compartment, Locker
from rentals.models import AccessLogEntry, Item, Reservation
from rentals.services.codes import pin_generate, pin_hash
from rentals.services.errors import OpenNotAllowed, RentalsError
from rentals.services.reservations import REMOTE_OPEN_EARLY, pin_window, remote_open_allowed, reservation_transition

LOAN_STATES = (Reservation.State.PICKED_UP, Reservation.State.OVERDUE)


def access_log_add(
    *, kind: str, item: Item | None = None, reservation: Reservation | None = None, **values
) -> AccessLogEntry:
    compartment = item.home_compartment if item is not None else None
    return AccessLogEntry.objects.create(
        at=values.pop("at", None) or timezone.now(),
        kind=kind,
        item=item,
        reservation=reservation,
        compartment_label=str(compartment) if compartment is not None else "",
        **values,
    )


def reservation_pin_provision(*, reservation: Reservation, pin: str) -> str:
    """Put the reservation's PIN on the controller for its window; returns the PIN in force.

    The bridge refuses a PIN that is active on another compartment of the same
    locker (it would open the wrong door); then we draw a new one.
    """
    compartment = reservation.item.home_compartment
    if compartment is None:
        return pin
    valid_from, valid_until = pin_window(reservation=reservation)
    while True:
        try:
            locker_services.pin_provision(
                compartment=compartment,
                pin=pin,
                valid_from=valid_from,
                valid_until=valid_until,
                reference=f"{reservation.reference}-pin",
            )
            break
        except locker_services.PinInUse:
            pin = pin_generate()
    if pin != reservation.pin_for_citizen:
        reservation.pin_for_citizen, reservation.pin_hash = pin, pin_hash(pin=pin)
        reservation.save(update_fields=["pin_for_citizen", "pin_hash"])
    access_log_add(kind=AccessLogEntry.Kind.PIN_PROVISIONED, item=reservation.item, reservation=reservation)
    return pin


def reservation_pin_resend(*, reservation: Reservation, staff: AbstractBaseUser) -> bool:
    """Staff pressed "PIN erneut senden" on the board: send the PIN to the locker now, whatever the backoff.

    Returns False when the locker already confirmed it (nothing to send). Logged.
    """
    command = locker_services.pin_resend(reference=f"{reservation.reference}-pin")
    if command is None:
        return False
    access_log_add(
        kind=AccessLogEntry.Kind.PIN_PROVISIONED,
        item=reservation.item,
        reservation=reservation,
        via="admin",
        actor=staff,
        reason="PIN erneut gesendet",
    )
    return True


def reservation_pin_revoke(*, reservation: Reservation) -> None:
    """Remove the reservation's PIN from the controller (cancel, no-show, return, expiry)."""
    compartment = reservation.item.home_compartment
    if compartment is None:
        return
    locker_services.pin_revoke(
        compartment=compartment,
        reference=f"{reservation.reference}-revoke",
        provision_reference=f"{reservation.reference}-pin",
    )
    access_log_add(kind=AccessLogEntry.Kind.PIN_REVOKED, item=reservation.item, reservation=reservation)


def _reservation_at(*, item: Item, at: datetime.datetime, reference: str) -> Reservation | None:
    """The reservation a door event belongs to: named by the command's reference, or the
    loan in progress, or the reservation whose window holds ``at``."""
    reservations = Reservation.objects.select_for_update().filter(item=item)
    if reference.startswith("reservation-"):
        number = reference.removeprefix("reservation-").split("-", 1)[0]
        if number.isdigit():
            found = reservations.filter(pk=int(number)).first()
            if found is not None:
                return found
    loan = reservations.filter(state__in=LOAN_STATES).order_by("starts_at").first()
    if loan is not None:
        return loan
    return (
        reservations.filter(state=Reservation.State.RESERVED, starts_at__lte=at + REMOTE_OPEN_EARLY, ends_at__gt=at)
        .order_by("starts_at")
        .first()
    )


def compartment_door_opened(*, compartment: Compartment, at: datetime.datetime, via: str, reference: str = "") -> None:
    """The door opened: a reserved item is now picked up (the loan starts)."""
    item = Item.objects.filter(home_compartment=compartment).first()
    if item is None:
        return
    with transaction.atomic():
        reservation = _reservation_at(item=item, at=at, reference=reference)
        access_log_add(kind=AccessLogEntry.Kind.DOOR_OPENED, item=item, reservation=reservation, at=at, via=via)
        if reservation is not None and reservation.state == Reservation.State.RESERVED:
            reservation_transition(reservation=reservation, to=Reservation.State.PICKED_UP, at=at)


def compartment_door_closed(*, compartment: Compartment, at: datetime.datetime, occupied: bool) -> None:
    """The door closed. With the item inside, the loan ends now: the real return time is
    recorded, the PIN revoked, and the rest of the slot is free at once."""
    item = Item.objects.filter(home_compartment=compartment).first()
    if item is None:
        return
    with transaction.atomic():
        loan = Reservation.objects.select_for_update().filter(item=item, state__in=LOAN_STATES).first()
        access_log_add(
            kind=AccessLogEntry.Kind.DOOR_CLOSED, item=item, reservation=loan, at=at, via="sensor" if occupied else ""
        )
        if loan is not None and occupied:
            reservation_transition(reservation=loan, to=Reservation.State.RETURNED, at=at)
            reservation_pin_revoke(reservation=loan)


def reservation_remote_open(
    *,
    reservation: Reservation,
    user: AbstractBaseUser | None,
    request_key: str = "",
    now: datetime.datetime | None = None,
):
    """The citizen pressed "Fach öffnen". Only for their own reservation and only in its window.

    ``request_key`` comes with the form (or the API's Idempotency-Key), so a
    double click sends one command.
    """
    now = now or timezone.now()
    if user is not None and reservation.user_id != user.pk:
        raise OpenNotAllowed(_("Das haben wir nicht gefunden."))
    if not remote_open_allowed(reservation=reservation, now=now):
        raise OpenNotAllowed(_("Das Fach lässt sich von 15 Minuten vor Beginn bis zum Ende Ihrer Reservierung öffnen."))
    compartment = reservation.item.home_compartment
    if compartment is None:
        raise RentalsError(_("Dieser Gegenstand ist gerade keinem Fach zugeordnet. Bitte rufen Sie uns an."))
    key = (request_key or uuid.uuid4().hex)[:40]
    with transaction.atomic():
        command = locker_services.compartment_open(
            compartment=compartment,
            reason="Fernöffnung durch die Person, die reserviert hat",
            reference=f"{reservation.reference}-open-{key}",
            requested_by=user,
        )
        access_log_add(
            kind=AccessLogEntry.Kind.REMOTE_OPEN,
            item=reservation.item,
            reservation=reservation,
            at=now,
            via="web",
            actor=user,
        )
    return command


def staff_compartment_open(*, item: Item, staff: AbstractBaseUser, reason: str, request_key: str = ""):
    """Staff open an item's compartment from the admin. The reason is required and logged."""
    reason = reason.strip()
    if not reason:
        raise RentalsError(_("Bitte geben Sie einen Grund an."), field="reason")
    compartment = item.home_compartment
    if compartment is None:
        raise RentalsError(_("Dieser Gegenstand ist keinem Fach zugeordnet."))
    key = (request_key or uuid.uuid4().hex)[:40]
    with transaction.atomic():
        command = locker_services.compartment_open(
            compartment=compartment, reason=reason, reference=f"staff-open-{item.pk}-{key}", requested_by=staff
        )
        access_log_add(kind=AccessLogEntry.Kind.REMOTE_OPEN, item=item, via="admin", actor=staff, reason=reason[:200])
    return command


def command_finished(*, command) -> None:
    """Log an opening that did not happen (jammed latch, expired, refused), so staff see it next to
    the request; PIN commands are the bridge's business and are left alone."""
    if command.kind != "open" or command.state not in ("failed", "rejected", "expired"):
        return
    item = Item.objects.filter(home_compartment_id=command.compartment_id).first()
    if item is None:
        return
    reservation = None
    if command.reference.startswith("reservation-"):
        number = command.reference.removeprefix("reservation-").split("-", 1)[0]
        reservation = Reservation.objects.filter(pk=int(number)).first() if number.isdigit() else None
    access_log_add(
        kind=AccessLogEntry.Kind.OPEN_FAILED,
        item=item,
        reservation=reservation,
        via=command.state,
        reason=(command.result_reason or command.reason)[:200],
    )


def controller_went_offline(*, locker: Locker) -> None:
    """Tell staff which reservations of the next hours depend on a locker that just went offline."""
    from rentals.tasks import enqueue_offline_alert

    transaction.on_commit(lambda: enqueue_offline_alert(locker_id=locker.pk))
