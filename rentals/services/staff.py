"""What the Verleih team does in the admin: maintenance, item condition, problem reports."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.services import personal_notice_send
from rentals.models import AccessLogEntry, Item, MaintenanceBlock, Reservation
from rentals.services.errors import ForbiddenTransition, RentalsError
from rentals.services.reservations import reservation_pin_release, reservation_transition


def maintenance_block_create(
    *,
    item: Item,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    reason: str,
    created_by: AbstractBaseUser | None = None,
) -> tuple[MaintenanceBlock, list[Reservation]]:
    """Block an item for maintenance; cancel the reservations it overlaps and tell their people.

    Holds the item's row lock, as ``reservation_create`` does, so no reservation
    slips in between the block and the cancellations.
    """
    if ends_at <= starts_at:
        raise RentalsError(_("Das Ende muss nach dem Beginn liegen."), field="ends_at")
    with transaction.atomic():
        item = Item.objects.select_for_update().get(pk=item.pk)
        block = MaintenanceBlock.objects.create(
            item=item, starts_at=starts_at, ends_at=ends_at, reason=reason, created_by=created_by
        )
        affected = list(
            Reservation.objects.select_for_update(of=("self",))
            .filter(item=item, state=Reservation.State.RESERVED, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .select_related("user")
        )
        for reservation in affected:
            reservation_transition(reservation=reservation, to=Reservation.State.CANCELLED)
            reservation_pin_release(reservation=reservation)
            if reservation.user is not None:
                personal_notice_send(
                    user=reservation.user,
                    title=_("Ihre Reservierung fällt aus"),
                    body=_(
                        "Der Gegenstand muss gewartet werden. Wir haben Ihre Reservierung storniert. "
                        "Bitte reservieren Sie einen anderen Zeitraum."
                    ),
                    url=reverse("rentals:index"),
                    reference=f"{reservation.reference}-maintenance-{block.pk}",
                )
    return block, affected


def item_condition_set(*, item: Item, status: str, condition: str, note: str = "") -> Item:
    """Staff mark an item damaged, in maintenance, or fine again."""
    if status not in Item.Status.values or condition not in Item.Condition.values:
        raise RentalsError(_("Bitte wählen Sie einen gültigen Zustand."))
    item.status, item.condition = status, condition
    if note:
        item.condition_note = note
    item.save(update_fields=["status", "condition", "condition_note"])
    return item


def reservation_problem_report(
    *, reservation: Reservation, text: str, user: AbstractBaseUser | None = None
) -> Reservation:
    """The citizen reports a problem at return: the item is flagged for a staff check."""
    text = text.strip()
    if not text:
        raise RentalsError(_("Bitte beschreiben Sie das Problem kurz."), field="text")
    if reservation.state in (Reservation.State.CANCELLED, Reservation.State.NO_SHOW):
        raise ForbiddenTransition(_("Für diese Reservierung können Sie kein Problem melden."))
    with transaction.atomic():
        reservation = Reservation.objects.select_for_update().select_related("item").get(pk=reservation.pk)
        reservation.problem_report = text[:2000]
        reservation.save(update_fields=["problem_report"])
        item = reservation.item
        if item.condition == Item.Condition.GOOD:
            item.condition = Item.Condition.CHECK
        item.condition_note = text[:2000]
        item.save(update_fields=["condition", "condition_note"])
        AccessLogEntry.objects.create(
            at=timezone.now(),
            kind=AccessLogEntry.Kind.PROBLEM_REPORTED,
            item=item,
            reservation=reservation,
            actor=user,
        )
    return reservation
