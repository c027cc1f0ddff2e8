"""Tasks of the rentals app: thin functions that take ids and call one service.

Enqueue them inside ``transaction.on_commit``; test settings run them at once.
"""

from django_q.tasks import async_task

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from rentals.models import Reservation


def confirmation_send_task(reservation_id: int) -> None:
    from rentals.services.confirmation import reservation_confirmation_send

    reservation = Reservation.objects.filter(pk=reservation_id).first()
    if reservation is not None:
        reservation_confirmation_send(reservation=reservation)


def enqueue_confirmation(*, reservation_id: int) -> None:
    async_task(
        "rentals.tasks.confirmation_send_task", reservation_id, task_name=f"rental-confirmation-{reservation_id}"
    )


def overdue_staff_alert_task(reservation_id: int) -> None:
    """Email the Verleih team once when a loan becomes overdue (called once per transition)."""
    reservation = Reservation.objects.select_related("item__item_type").filter(pk=reservation_id).first()
    if reservation is None or reservation.state != Reservation.State.OVERDUE:
        return
    send_mail(
        subject=f"Überfällig: {reservation.item} (Reservierung {reservation.pk})",
        message=f"{reservation.item} sollte bis {timezone.localtime(reservation.ends_at):%d.%m.%Y %H:%M} Uhr "
        "zurück sein.",
        from_email=None,
        recipient_list=settings.RENTALS_STAFF_EMAILS,
    )


def enqueue_overdue_staff_alert(*, reservation_id: int) -> None:
    async_task("rentals.tasks.overdue_staff_alert_task", reservation_id, task_name=f"rental-overdue-{reservation_id}")


def offline_alert_task(locker_id: int) -> None:
    from rentals.selectors import reservations_at_locker_soon

    reservations = reservations_at_locker_soon(locker_id=locker_id)
    lines = [f"- {timezone.localtime(r.starts_at):%d.%m. %H:%M} {r.item}" for r in reservations] or ["- keine"]
    send_mail(
        subject="Schließfachanlage nicht erreichbar",
        message="Betroffene Reservierungen der nächsten Stunden:\n" + "\n".join(lines),
        from_email=None,
        recipient_list=settings.RENTALS_STAFF_EMAILS,
    )


def enqueue_offline_alert(*, locker_id: int) -> None:
    async_task("rentals.tasks.offline_alert_task", locker_id)


def release_no_shows_task() -> None:
    from rentals.services.periodic import reservations_release_no_shows

    reservations_release_no_shows()


def flag_overdue_task() -> None:
    from rentals.services.periodic import reservations_flag_overdue

    reservations_flag_overdue()


def retention_task() -> None:
    from rentals.services.periodic import access_log_prune, reservations_anonymise

    reservations_anonymise()
    access_log_prune()
