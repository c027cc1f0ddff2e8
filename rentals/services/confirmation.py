"""The confirmation a citizen keeps: email with PIN, QR code (segno) and calendar file (icalendar)."""

import io

import icalendar
import segno

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import preferred_language
from cms.links import absolute_url
from rentals.models import Reservation


def ticket_url(*, reservation: Reservation) -> str:
    """The QR code's content: a link with the reservation's long random token."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("rentals:ticket", kwargs={"token": reservation.qr_token})
    return absolute_url(path)


def qr_svg(*, reservation: Reservation) -> str:
    return segno.make(ticket_url(reservation=reservation), error="m").svg_inline(scale=4, title=_("QR-Code"))


def qr_png(*, reservation: Reservation) -> bytes:
    buffer = io.BytesIO()
    segno.make(ticket_url(reservation=reservation), error="m").save(buffer, kind="png", scale=6)
    return buffer.getvalue()


def ical_bytes(*, reservation: Reservation) -> bytes:
    """An RFC 5545 event for the reservation, without personal data or the PIN."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Stadt Norderstedt//Norderstedt GO!//DE")
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", f"{reservation.reference}@go.norderstedt.de")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", reservation.starts_at)
    event.add("dtend", reservation.ends_at)
    item_type = reservation.item.item_type
    event.add(
        "summary",
        _("%(item_type)s ausleihen – %(location)s")
        % {"item_type": item_type.name, "location": reservation.item.location.name},
    )
    event.add("location", reservation.item.location.address)
    event.add("description", _("Öffnen Sie das Fach mit Ihrer PIN oder mit „Fach öffnen“ auf go.norderstedt.de."))
    calendar.add_component(event)
    return calendar.to_ical()


def _language_of(reservation: Reservation) -> str:
    return preferred_language(user=reservation.user)


def reservation_confirmation_send(*, reservation: Reservation) -> bool:
    """Email the confirmation once (idempotent on ``confirmation_sent_at``); only while the reservation is active."""
    with transaction.atomic():
        reservation = (
            Reservation.objects.select_for_update(of=("self",))
            .select_related("user", "item__item_type", "item__location")
            .get(pk=reservation.pk)
        )
        if reservation.confirmation_sent_at or not reservation.is_active or not reservation.pin_for_citizen:
            return False
        if reservation.user is None or not reservation.user.email:
            return False
        with translation.override(_language_of(reservation)):
            context = {
                "reservation": reservation,
                "ticket_url": ticket_url(reservation=reservation),
                "site_url": settings.SITE_URL,
            }
            message = EmailMultiAlternatives(
                subject=render_to_string("rentals/email/confirmation_subject.txt", context).strip(),
                body=render_to_string("rentals/email/confirmation.txt", context),
                to=[reservation.user.email],
            )
        message.attach("reservierung.ics", ical_bytes(reservation=reservation), "text/calendar")
        message.attach("qr-code.png", qr_png(reservation=reservation), "image/png")
        message.send()
        reservation.confirmation_sent_at = timezone.now()
        reservation.save(update_fields=["confirmation_sent_at"])
    return True
