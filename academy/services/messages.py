"""Messages to participants, once per registration and reference (the outbox).

Account holders get personal notices through ``notifications``: push where they
have devices, email otherwise. Reminders and cancelled sessions go by email and,
where there are devices, by push as well (``both``), because a missed one costs
the citizen a trip. The confirmation is an email of our own because it
carries an iCal attachment. Callers registered by phone get an email if they gave
one; otherwise the message lands on the staff call list. Texts name the course
and the date, never the person, because notices may travel through push services.
"""

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from wagtail.models import Locale

from academy.links import registration_link
from academy.models import ParticipantMessage, Registration, Session
from academy.selectors import course_page_for, waitlist_rank
from accounts.selectors import preferred_language
from cms.links import absolute_url
from notifications.services import personal_notice_send


def _language(registration: Registration) -> str:
    return preferred_language(user=registration.user if registration.user_id else None)


def _when(registration: Registration) -> str:
    session = registration.session or registration.course.sessions.filter(status=Session.Status.SCHEDULED).first()
    if session is None:
        return ""
    return formats.date_format(timezone.localtime(session.start), "DATETIME_FORMAT")


def participant_message_send(
    *,
    registration: Registration,
    reference: str,
    subject: str,
    body: str,
    url: str = "",
    as_notice: bool = True,
    both: bool = False,
) -> ParticipantMessage | None:
    """Record and deliver one message. Returns None when it was sent before.

    ``as_notice=False`` sends an email even to account holders (the confirmation).
    ``both`` sends account holders an email and a push to each of their devices.
    """
    if registration.user_id and as_notice:
        channel = ParticipantMessage.Channel.NOTICE
    elif registration.contact_email:
        channel = ParticipantMessage.Channel.EMAIL
    else:
        channel = ParticipantMessage.Channel.CALL
    try:
        with transaction.atomic():
            message, created = ParticipantMessage.objects.get_or_create(
                registration=registration,
                reference=reference,
                defaults={"channel": channel, "subject": subject[:200], "body": body, "url": url},
            )
    except IntegrityError:
        return None
    if not created:
        return None
    if channel == ParticipantMessage.Channel.NOTICE:
        personal_notice_send(
            user=registration.user,
            title=subject,
            body=body,
            url=url,
            reference=f"academy:{registration.pk}:{reference}",
            email_always=both,
        )
        ParticipantMessage.objects.filter(pk=message.pk).update(done_at=timezone.now())
    elif channel == ParticipantMessage.Channel.EMAIL:
        from academy.tasks import enqueue_participant_email

        transaction.on_commit(lambda: enqueue_participant_email(message_id=message.pk))
    return message


def participant_email_deliver(*, message: ParticipantMessage) -> ParticipantMessage:
    """Send one outbox email. Idempotent: the row is locked and marked done."""
    from academy.calendar import registration_calendar

    with transaction.atomic():
        message = (
            ParticipantMessage.objects.select_for_update(of=("self",))
            .select_related("registration__user", "registration__course", "registration__session")
            .get(pk=message.pk)
        )
        if message.done_at is not None:
            return message
        registration = message.registration
        text = message.body + (f"\n\n{absolute_url(message.url)}\n" if message.url else "\n")
        email = EmailMessage(subject=message.subject, body=text, to=[registration.contact_email])
        if message.reference == "confirmed":
            email.attach("kurs.ics", registration_calendar(registration=registration), "text/calendar")
        email.send()
        message.done_at = timezone.now()
        message.save(update_fields=["done_at"])
    return message


def _course_url(registration: Registration) -> str:
    """The course's page in the language of the message, or no link once no page shows it."""
    page = course_page_for(course=registration.course, locale=Locale.get_active())
    return (page.url or "") if page else ""


def _cancel_paragraph(registration: Registration) -> str:
    link = absolute_url(registration_link(registration=registration, action="cancel"))
    return _("Sie können nicht kommen? Dann sagen Sie bitte hier ab, damit jemand anderes den Platz bekommt:") + (
        f"\n{link}"
    )


def registration_confirmed_notify(*, registration: Registration) -> None:
    with translation.override(_language(registration)):
        title = registration.course.title
        body = "\n\n".join(
            [
                _("Sie sind angemeldet für „%(course)s“.") % {"course": title},
                _("Erster Termin: %(when)s. Die Termine finden Sie im Anhang für Ihren Kalender.")
                % {"when": _when(registration)},
                _cancel_paragraph(registration),
            ]
        )
        participant_message_send(
            registration=registration,
            reference="confirmed",
            subject=_("Anmeldung bestätigt: %(course)s") % {"course": title},
            body=body,
            as_notice=False,
        )


def registration_waitlisted_notify(*, registration: Registration) -> None:
    with translation.override(_language(registration)):
        title = registration.course.title
        link = absolute_url(registration_link(registration=registration, action="cancel"))
        body = "\n\n".join(
            [
                _("Der Kurs „%(course)s“ ist voll. Sie stehen auf Platz %(rank)s der Warteliste.")
                % {"course": title, "rank": waitlist_rank(registration=registration)},
                _("Wird ein Platz frei, reservieren wir ihn für Sie und schreiben Ihnen."),
                _("Sie möchten nicht mehr warten? Hier verlassen Sie die Warteliste:") + f"\n{link}",
            ]
        )
        participant_message_send(
            registration=registration,
            reference="waitlisted",
            subject=_("Warteliste: %(course)s") % {"course": title},
            body=body,
            as_notice=False,
        )


def registration_promoted_notify(*, registration: Registration) -> None:
    with translation.override(_language(registration)):
        until = formats.date_format(timezone.localtime(registration.hold_until), "DATETIME_FORMAT")
        participant_message_send(
            registration=registration,
            reference="promoted",
            subject=_("Ein Platz ist frei: %(course)s") % {"course": registration.course.title},
            body=_("Wir haben einen Platz für Sie reserviert. Bitte bestätigen Sie bis %(until)s.") % {"until": until},
            url=absolute_url(registration_link(registration=registration, action="confirm")),
        )


def registration_hold_expired_notify(*, registration: Registration) -> None:
    with translation.override(_language(registration)):
        participant_message_send(
            registration=registration,
            reference="hold-expired",
            subject=_("Reservierung abgelaufen: %(course)s") % {"course": registration.course.title},
            body=_("Sie haben den reservierten Platz nicht bestätigt. Wir haben ihn weitergegeben."),
        )


def session_cancelled_notify(*, registration: Registration, session: Session) -> None:
    with translation.override(_language(registration)):
        when = formats.date_format(timezone.localtime(session.start), "DATETIME_FORMAT")
        body = _("Der Termin am %(when)s fällt aus.") % {"when": when}
        if session.cancel_message:
            body = f"{body} {session.cancel_message}"
        participant_message_send(
            registration=registration,
            reference=f"session-cancelled:{session.pk}",
            subject=_("Termin abgesagt: %(course)s") % {"course": registration.course.title},
            body=body,
            both=True,
        )


def session_reminder_notify(*, registration: Registration, session: Session) -> None:
    with translation.override(_language(registration)):
        when = formats.date_format(timezone.localtime(session.start), "DATETIME_FORMAT")
        participant_message_send(
            registration=registration,
            reference=f"reminder:{session.pk}",
            subject=_("Erinnerung: %(course)s") % {"course": registration.course.title},
            body=_("Ihr Termin ist am %(when)s, %(place)s.") % {"when": when, "place": session.location.name},
            url=_course_url(registration),
            both=True,
        )


def participant_broadcast_send(*, registration: Registration, reference: str, subject: str, body: str) -> None:
    participant_message_send(registration=registration, reference=reference, subject=subject, body=body)
