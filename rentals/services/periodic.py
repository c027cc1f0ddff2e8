"""Periodic jobs: no-show release, overdue reminders, anonymisation, log clean-up.

Every function here is idempotent: it selects by state and time and each
notice is keyed on the reservation and the reminder kind, so running it twice,
or late, does no harm. They are scheduled in one place: ``rentals.schedules``.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.services import personal_notice_send
from rentals.models import AccessLogEntry, Reservation
from rentals.services.personal_data import PERSONAL_FIELDS_CLEARED
from rentals.services.reservations import reservation_pin_release, reservation_transition

OVERDUE_REMINDERS = (
    ("due", datetime.timedelta(0)),
    ("later", datetime.timedelta(hours=2)),
    ("day", datetime.timedelta(days=1)),
)


def reservations_release_no_shows(*, now: datetime.datetime | None = None) -> int:
    """Release items not collected within the grace period (30 minutes by default) and revoke their PIN."""
    now = now or timezone.now()
    deadline = now - datetime.timedelta(minutes=settings.RENTALS_NO_SHOW_GRACE_MINUTES)
    released = 0
    for pk in Reservation.objects.filter(state=Reservation.State.RESERVED, starts_at__lte=deadline).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            reservation = Reservation.objects.select_for_update().select_related("item").get(pk=pk)
            if reservation.state != Reservation.State.RESERVED:
                continue
            reservation_transition(reservation=reservation, to=Reservation.State.NO_SHOW, at=now)
            reservation_pin_release(reservation=reservation)
            released += 1
    return released


def _overdue_notice(*, reservation: Reservation, kind: str) -> None:
    if reservation.user is None:
        return
    personal_notice_send(
        user=reservation.user,
        title=_("Bitte bringen Sie Ihren Leihgegenstand zurück"),
        body=_("Ihre Ausleihe ist abgelaufen. Bitte bringen Sie den Gegenstand zurück in sein Fach."),
        url=reverse("rentals:reservation_detail", kwargs={"pk": reservation.pk}),
        reference=f"{reservation.reference}-overdue-{kind}",
    )


def reservations_flag_overdue(*, now: datetime.datetime | None = None) -> int:
    """Mark loans past their end as overdue, remind the citizen, alert staff once.

    Reminders go out when the loan becomes overdue, two hours later and a day
    later, each once (keyed on reservation and kind).
    """
    from rentals.tasks import enqueue_overdue_staff_alert

    now = now or timezone.now()
    flagged = 0
    for pk in Reservation.objects.filter(state=Reservation.State.PICKED_UP, ends_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            reservation = Reservation.objects.select_for_update().get(pk=pk)
            if reservation.state != Reservation.State.PICKED_UP:
                continue
            reservation_transition(reservation=reservation, to=Reservation.State.OVERDUE, at=now)
            transaction.on_commit(lambda pk=pk: enqueue_overdue_staff_alert(reservation_id=pk))
            flagged += 1
    for reservation in Reservation.objects.filter(state=Reservation.State.OVERDUE).select_related("user"):
        for kind, after in OVERDUE_REMINDERS:
            if now >= reservation.ends_at + after:
                _overdue_notice(reservation=reservation, kind=kind)
    return flagged


def reservations_anonymise(*, now: datetime.datetime | None = None) -> int:
    """Remove who borrowed what once the retention period (90 days by default) has passed.

    Finished reservations keep item, times and state for the usage statistics;
    the person, phone, problem text and PIN hash go.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.RENTALS_RETENTION_DAYS)
    terminal = [state for state, targets in Reservation.TRANSITIONS.items() if not targets]
    return Reservation.objects.filter(state__in=terminal, ends_at__lt=cutoff, anonymised_at__isnull=True).update(
        **PERSONAL_FIELDS_CLEARED, anonymised_at=now
    )


def access_log_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete access log entries older than their own retention period (365 days by default)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.RENTALS_ACCESS_LOG_RETENTION_DAYS)
    deleted, _by_model = AccessLogEntry.objects.filter(at__lt=cutoff).delete()
    return deleted
