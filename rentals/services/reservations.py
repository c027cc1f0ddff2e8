"""Reserving and cancelling, and the one place the state machine is enforced."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from rentals.models import Item, ItemType, Reservation
from rentals.selectors import (
    IMMEDIATE_PICKUP,
    active_count_of,
    free_items,
    item_type_source,
    items_reachable_now,
    nearest_alternatives,
)
from rentals.services.codes import pin_generate, pin_hash, qr_token_generate
from rentals.services.errors import ForbiddenTransition, ReservationRefused, SlotTaken

REMOTE_OPEN_EARLY = datetime.timedelta(minutes=15)
EXCLUSION_VIOLATION = "23P01"


@dataclass(frozen=True)
class ReservationCreated:
    reservation: Reservation
    pin: str


def reservation_transition(*, reservation: Reservation, to: str, at: datetime.datetime | None = None) -> Reservation:
    """Move a reservation along ``Reservation.TRANSITIONS`` or refuse. Terminal states are final.

    The caller holds the row lock (``select_for_update``) so two events cannot
    both move the same reservation.
    """
    if to not in Reservation.TRANSITIONS[reservation.state]:
        raise ForbiddenTransition(
            _("Diese Reservierung ist %(state)s. Das geht jetzt nicht mehr.")
            % {"state": reservation.get_state_display()}
        )
    at = at or timezone.now()
    reservation.state = to
    fields = ["state"]
    stamp = {
        Reservation.State.PICKED_UP: "picked_up_at",
        Reservation.State.RETURNED: "returned_at",
        Reservation.State.CANCELLED: "cancelled_at",
    }.get(to)
    if stamp:
        setattr(reservation, stamp, at)
        fields.append(stamp)
    if not reservation.is_active:
        reservation.pin_for_citizen = ""
        reservation.qr_token = None
        fields += ["pin_for_citizen", "qr_token"]
    reservation.save(update_fields=fields)
    return reservation


def _local(moment: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(moment)


def _check_window(*, item_type: ItemType, starts_at: datetime.datetime, ends_at: datetime.datetime, now) -> None:
    slot = datetime.timedelta(minutes=item_type.slot_minutes)
    if ends_at <= starts_at:
        raise ReservationRefused(_("Das Ende muss nach dem Beginn liegen."), field="ends_at")
    if starts_at + slot <= now:
        raise ReservationRefused(
            _("Dieser Zeitraum liegt in der Vergangenheit. Bitte wählen Sie eine spätere Zeit."), field="starts_at"
        )
    if starts_at < now + datetime.timedelta(minutes=item_type.lead_minutes) - slot:
        raise ReservationRefused(
            _("Bitte reservieren Sie mindestens %(minutes)s Minuten im Voraus.") % {"minutes": item_type.lead_minutes},
            field="starts_at",
        )
    if _local(starts_at).date() > timezone.localdate(now) + datetime.timedelta(days=item_type.horizon_days):
        raise ReservationRefused(
            _("Sie können höchstens %(days)s Tage im Voraus reservieren.") % {"days": item_type.horizon_days},
            field="starts_at",
        )
    if ends_at - starts_at > datetime.timedelta(minutes=item_type.max_duration_minutes):
        raise ReservationRefused(
            _("So lange geht es nicht. Höchstens %(hours)s Stunden am Stück.")
            % {"hours": formats.number_format(item_type.max_duration_minutes / 60, decimal_pos=0)},
            field="ends_at",
        )


def _check_hours(*, item_type: ItemType, starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    start, end = _local(starts_at), _local(ends_at)
    opening = _("Ausleihe ist von %(opens)s bis %(closes)s Uhr möglich.") % {
        "opens": item_type.opens_at.strftime("%H:%M"),
        "closes": item_type.closes_at.strftime("%H:%M"),
    }
    if start.date() != end.date() or start.time() < item_type.opens_at or end.time() > item_type.closes_at:
        raise ReservationRefused(opening, field="starts_at")
    minutes_from_opening = (start.hour * 60 + start.minute) - (item_type.opens_at.hour * 60 + item_type.opens_at.minute)
    duration = (ends_at - starts_at).total_seconds() / 60
    if start.second or minutes_from_opening % item_type.slot_minutes or duration % item_type.slot_minutes:
        raise ReservationRefused(
            _("Bitte wählen Sie Zeiten im %(minutes)s-Minuten-Raster.") % {"minutes": item_type.slot_minutes},
            field="starts_at",
        )


def reservation_rules_check(
    *, item_type: ItemType, starts_at: datetime.datetime, ends_at: datetime.datetime, now: datetime.datetime
) -> None:
    """The item type's rules: range, lead time, horizon, duration, opening hours, slot grid."""
    _check_window(item_type=item_type, starts_at=starts_at, ends_at=ends_at, now=now)
    _check_hours(item_type=item_type, starts_at=starts_at, ends_at=ends_at)


def _is_exclusion_violation(error: IntegrityError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == EXCLUSION_VIOLATION


def _claim_first_free(*, candidates: list[Item], values: dict) -> Reservation | None:
    """Insert the reservation for the first candidate the database accepts.

    On PostgreSQL the exclusion constraint is the judge: a competing insert for
    the same item and overlapping range waits for the other transaction and then
    fails with an exclusion violation, so we try the next item. On SQLite the
    IMMEDIATE transaction already serialised us, and the first candidate is free.
    """
    for item in candidates:
        if not _still_free_after_lock(item=item, starts_at=values["starts_at"], ends_at=values["ends_at"]):
            continue
        try:
            with transaction.atomic():
                return Reservation.objects.create(item=item, **values)
        except IntegrityError as error:
            if not _is_exclusion_violation(error):
                raise
    return None


def _still_free_after_lock(*, item: Item, starts_at: datetime.datetime, ends_at: datetime.datetime) -> bool:
    """Lock the item row and re-check maintenance. ``maintenance_block_create`` takes the same
    lock, so a block and a reservation for the same item cannot pass each other."""
    locked = Item.objects.select_for_update().filter(pk=item.pk, status=Item.Status.IN_SERVICE).first()
    if locked is None:
        return False
    return not locked.maintenance_blocks.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists()


def _person_lock(user: AbstractBaseUser | None) -> None:
    """Serialise one citizen's bookings so the per-person limit holds under double clicks."""
    if user is not None and connection.vendor == "postgresql":
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _person_check(*, user, caller_name: str, item_type: ItemType) -> None:
    if user is None and not caller_name.strip():
        raise ReservationRefused(_("Bitte melden Sie sich an, um zu reservieren."))
    if user is not None and active_count_of(user=user, item_type=item_type) >= item_type.max_active_per_citizen:
        raise ReservationRefused(
            _("Sie haben schon %(count)s aktive Reservierungen für %(name)s. Mehr geht gleichzeitig nicht.")
            % {"count": item_type.max_active_per_citizen, "name": item_type.name}
        )


def reservation_create(
    *,
    item_type: ItemType,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    user: AbstractBaseUser | None = None,
    caller_name: str = "",
    caller_phone: str = "",
    booked_by: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> ReservationCreated:
    """Reserve any free item of a type, or refuse with a reason.

    The free item is chosen inside the same transaction that inserts the row,
    and the database (exclusion constraint on PostgreSQL, the write lock on
    SQLite) has the last word, so two people never get the same item for
    overlapping times. Raises ``ReservationRefused`` or ``SlotTaken``.
    """
    now = now or timezone.now()
    item_type = item_type_source(item_type=item_type)
    reservation_rules_check(item_type=item_type, starts_at=starts_at, ends_at=ends_at, now=now)
    pin = pin_generate()
    values = {
        "user": user,
        "caller_name": caller_name.strip(),
        "caller_phone": caller_phone.strip(),
        "booked_by": booked_by,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "pin_hash": pin_hash(pin=pin),
        "pin_for_citizen": pin,
        "qr_token": qr_token_generate(),
    }
    with transaction.atomic():
        _person_lock(user)
        _person_check(user=user, caller_name=caller_name, item_type=item_type)
        candidates = free_items(item_type=item_type, starts_at=starts_at, ends_at=ends_at)
        if starts_at - now < IMMEDIATE_PICKUP:
            candidates = items_reachable_now(items=candidates)
        reservation = _claim_first_free(candidates=candidates, values=values)
        if reservation is None:
            alternatives = nearest_alternatives(item_type=item_type, starts_at=starts_at, ends_at=ends_at, now=now)
            raise SlotTaken(
                _("Diese Zeit ist schon vergeben. Bitte wählen Sie eine andere Zeit."), alternatives=alternatives
            )
        pin = _pin_unique_at_compartment(reservation=reservation, pin=pin)
        if reservation.item.home_compartment_id:
            from rentals.services.locker import reservation_pin_provision

            pin = reservation_pin_provision(reservation=reservation, pin=pin)
        if user is not None and user.email:
            from rentals.tasks import enqueue_confirmation

            transaction.on_commit(lambda: enqueue_confirmation(reservation_id=reservation.pk))
    return ReservationCreated(reservation=reservation, pin=pin)


def pin_window(*, reservation: Reservation) -> tuple[datetime.datetime, datetime.datetime]:
    """When the PIN opens the door: from 15 minutes before the start to the end."""
    return reservation.starts_at - REMOTE_OPEN_EARLY, reservation.ends_at


def _pin_unique_at_compartment(*, reservation: Reservation, pin: str) -> str:
    """Draw again while another active reservation of the same compartment, whose
    PIN window overlaps, already has this PIN (a one-in-a-million event)."""
    valid_from, valid_until = pin_window(reservation=reservation)
    neighbours = (
        Reservation.objects.filter(
            item=reservation.item,
            state__in=Reservation.ACTIVE_STATES,
            starts_at__lt=valid_until + REMOTE_OPEN_EARLY,
            ends_at__gt=valid_from,
        )
        .exclude(pk=reservation.pk)
        .values_list("pin_hash", flat=True)
    )
    taken = set(neighbours)
    while pin_hash(pin=pin) in taken:
        pin = pin_generate()
    if pin != reservation.pin_for_citizen:
        reservation.pin_for_citizen, reservation.pin_hash = pin, pin_hash(pin=pin)
        reservation.save(update_fields=["pin_for_citizen", "pin_hash"])
    return pin


def remote_open_allowed(*, reservation: Reservation, now: datetime.datetime) -> bool:
    """ "Fach öffnen" works from 15 minutes before the start until the end; a loan that is
    overdue may still be opened, so the item can come back."""
    if reservation.state == Reservation.State.OVERDUE:
        return True
    if reservation.state not in (Reservation.State.RESERVED, Reservation.State.PICKED_UP):
        return False
    return reservation.starts_at - REMOTE_OPEN_EARLY <= now < reservation.ends_at


def reservation_cancel(*, reservation: Reservation, now: datetime.datetime | None = None) -> Reservation:
    """Cancel a reservation that was not picked up: the slot is free at once and the PIN revoked."""
    now = now or timezone.now()
    with transaction.atomic():
        reservation = Reservation.objects.select_for_update().select_related("item").get(pk=reservation.pk)
        if reservation.state == Reservation.State.CANCELLED:
            raise ForbiddenTransition(_("Diese Reservierung ist schon storniert."))
        reservation_transition(reservation=reservation, to=Reservation.State.CANCELLED, at=now)
        reservation_pin_release(reservation=reservation)
    return reservation


def reservation_pin_release(*, reservation: Reservation) -> None:
    """Revoke the reservation's PIN at its compartment, if its item has one."""
    if reservation.item.home_compartment_id:
        from rentals.services.locker import reservation_pin_revoke

        reservation_pin_revoke(reservation=reservation)
