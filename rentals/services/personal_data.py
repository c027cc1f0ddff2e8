"""GDPR export and erasure of a citizen's rentals (registered with accounts.registry)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from rentals.models import AccessLogEntry, Item, Reservation
from rentals.services.reservations import reservation_cancel

PERSONAL_FIELDS_CLEARED = {
    "user": None,
    "booked_by": None,
    "caller_name": "",
    "caller_phone": "",
    "problem_report": "",
    "pin_hash": "",
    "pin_for_citizen": "",
    "qr_token": None,
}


COVERS = frozenset(
    {
        *(f"rentals.Reservation.{name}" for name in PERSONAL_FIELDS_CLEARED),
        "rentals.AccessLogEntry.actor",
        "rentals.Item.condition_note",
    }
)
STAFF_RECORD = "written by staff about the town's equipment, not about a citizen"
NOT_PERSONAL = {
    "rentals.Location.name": "a lending site",
    "rentals.Location.address": "a lending site's address",
    "rentals.ItemType.name": "a kind of item",
    "rentals.MaintenanceBlock.created_by": STAFF_RECORD,
    "rentals.MaintenanceBlock.reason": STAFF_RECORD,
    "rentals.AccessLogEntry.reason": "the locker's or staff's reason for an event (e.g. 'Fach klemmt')",
    # The locker bridge knows no citizens; rentals is the app that sends commands on their behalf.
    "locker_bridge.Command.requested_by": (
        "who pressed 'Fach öffnen'; set to null with the account, and exported as the reservation's events"
    ),
    "locker_bridge.Command.reason": "the bridge's reason code for a command",
    "locker_bridge.Command.result_reason": "the controller's reason code for a result",
    "locker_bridge.Alert.message": "a staff alert about a locker, naming compartments, never people",
    "locker_bridge.Alert.acknowledged_by": STAFF_RECORD,
}


def _time(value) -> str | None:
    return value.isoformat() if value else None


def reservations_export(*, user: AbstractBaseUser) -> list[dict]:
    reservations = (
        Reservation.objects.filter(user=user)
        .select_related("item__item_type", "item__location")
        .prefetch_related("access_log")
        .order_by("starts_at")
    )
    return [
        {
            "reference": reservation.reference,
            "item": reservation.item.item_type.name,
            "location": reservation.item.location.name,
            "starts_at": _time(reservation.starts_at),
            "ends_at": _time(reservation.ends_at),
            "state": reservation.state,
            "created_at": _time(reservation.created_at),
            "picked_up_at": _time(reservation.picked_up_at),
            "returned_at": _time(reservation.returned_at),
            "cancelled_at": _time(reservation.cancelled_at),
            "problem_report": reservation.problem_report,
            "pin": reservation.pin_for_citizen,
            "booked_by_staff": reservation.booked_by_id is not None and reservation.booked_by_id != user.pk,
            "events": [
                {"at": _time(entry.at), "kind": entry.kind, "compartment": entry.compartment_label, "via": entry.via}
                for entry in sorted(reservation.access_log.all(), key=lambda entry: entry.at)
            ],
        }
        for reservation in reservations
    ]


@transaction.atomic
def reservations_erase(*, user: AbstractBaseUser) -> int:
    """Cancel what has not been picked up (revoking PINs), then anonymise every reservation.

    Loans that are out keep running for the item's sake but lose the person; usage
    statistics keep item, times and state, as after the retention period.
    """
    for reservation in Reservation.objects.filter(user=user, state=Reservation.State.RESERVED):
        reservation_cancel(reservation=reservation)
    # A problem report was copied onto the item for staff; the item keeps its condition, not the words.
    reports = Reservation.objects.filter(user=user).exclude(problem_report="")
    for item_id, report in reports.values_list("item_id", "problem_report"):
        Item.objects.filter(pk=item_id, condition_note=report).update(condition_note="")
    AccessLogEntry.objects.filter(actor=user).update(actor=None)
    return Reservation.objects.filter(user=user).update(**PERSONAL_FIELDS_CLEARED, anonymised_at=timezone.now())
