"""GDPR export and erasure of a citizen's rentals (registered with accounts.registry)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from rentals.models import Reservation
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


def reservations_export(*, user: AbstractBaseUser) -> list[dict]:
    reservations = Reservation.objects.filter(user=user).select_related("item__item_type").order_by("starts_at")
    return [
        {
            "item": reservation.item.item_type.name,
            "starts_at": reservation.starts_at.isoformat(),
            "ends_at": reservation.ends_at.isoformat(),
            "state": reservation.state,
            "returned_at": reservation.returned_at.isoformat() if reservation.returned_at else None,
            "problem_report": reservation.problem_report,
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
    return Reservation.objects.filter(user=user).update(**PERSONAL_FIELDS_CLEARED, anonymised_at=timezone.now())
