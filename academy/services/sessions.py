"""Session writes for trainers and staff: dates, cancellation, messages, attendance, reminders."""

import datetime
import uuid

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.models import Attendance, Course, CourseFormat, ParticipantMessage, Registration, Session
from academy.services import messages
from academy.services.registrations import RegistrationError, pool_capacity_change


def session_save(
    *,
    course: Course,
    start: datetime.datetime,
    end: datetime.datetime,
    location_id: int,
    capacity: int,
    session: Session | None = None,
) -> Session:
    """Create or change a session. Consultation slots always have one place; a
    larger capacity promotes people from the waiting list."""
    if course.format == CourseFormat.CONSULTATION:
        capacity = 1
    if end <= start:
        raise RegistrationError(_("Das Ende muss nach dem Beginn liegen."), field="end")
    with transaction.atomic():
        if session is None:
            session = Session.objects.create(
                course_id=course.pk, start=start, end=end, location_id=location_id, capacity=capacity
            )
            return session
        Session.objects.filter(pk=session.pk).update(start=start, end=end, location_id=location_id)
        pool_capacity_change(course_id=session.course_id, session_id=session.pk, capacity=capacity)
        session.refresh_from_db()
    return session


def session_participants(*, session: Session):
    """Registrations that concern this session: its own pool, or the series' pool."""
    pool = Q(session=session) if session.course.is_per_session else Q(course_id=session.course_id, session__isnull=True)
    return Registration.objects.filter(pool)


def session_cancel(*, session: Session, message: str, now: datetime.datetime | None = None) -> Session:
    """Cancel a session and tell everyone. A drop-in or consultation session's
    registrations end with it; a series keeps its registrations for the other dates."""
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)
        if session.is_cancelled:
            return session
        session.status, session.cancel_message = Session.Status.CANCELLED, message.strip()
        session.save(update_fields=["status", "cancel_message"])
        affected = list(
            session_participants(session=session)
            .filter(status__in=Registration.ACTIVE)
            .select_related("course", "user", "session")
        )
        for registration in affected:
            if session.course.is_per_session:
                registration.status, registration.hold_until = Registration.Status.CANCELLED, None
                registration.save(update_fields=["status", "hold_until", "updated_at"])
            messages.session_cancelled_notify(registration=registration, session=session)
    return session


def participants_message(*, session: Session, subject: str, body: str) -> int:
    """Send one message to everyone with a place in the session."""
    reference = f"broadcast:{uuid.uuid4().hex}"
    registrations = (
        session_participants(session=session)
        .filter(status__in=Registration.SEATED)
        .select_related("course", "user", "session")
    )
    count = 0
    with transaction.atomic():
        for registration in registrations:
            messages.participant_broadcast_send(
                registration=registration, reference=reference, subject=subject.strip(), body=body.strip()
            )
            count += 1
    return count


def attendance_record(
    *, session: Session, registration: Registration, present: bool, recorded_by: AbstractBaseUser
) -> Attendance:
    if (
        not session_participants(session=session)
        .filter(pk=registration.pk, status=Registration.Status.CONFIRMED)
        .exists()
    ):
        raise RegistrationError(_("Diese Person ist für den Termin nicht angemeldet."), field="registration")
    attendance, _created = Attendance.objects.update_or_create(
        registration=registration, session=session, defaults={"present": present, "recorded_by": recorded_by}
    )
    return attendance


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Periodic and idempotent: remind participants 24 h before each session.

    Scheduled hourly (cms/schedules.py). The outbox is unique on
    registration and ``reminder:<session>``, so a second run sends nothing.
    """
    now = now or timezone.now()
    sessions = Session.objects.filter(
        status=Session.Status.SCHEDULED, start__gt=now, start__lte=now + datetime.timedelta(hours=24)
    ).select_related("course", "location")
    sent = 0
    for session in sessions:
        registrations = (
            session_participants(session=session)
            .filter(status=Registration.Status.CONFIRMED)
            .exclude(messages__reference=f"reminder:{session.pk}")
            .select_related("course", "user", "session")
        )
        for registration in registrations:
            with transaction.atomic():
                messages.session_reminder_notify(registration=registration, session=session)
            sent += 1
    return sent


def call_done(*, message: ParticipantMessage, by: AbstractBaseUser) -> ParticipantMessage:
    """Staff called the person; the entry leaves the call list."""
    ParticipantMessage.objects.filter(pk=message.pk, done_at__isnull=True).update(done_at=timezone.now(), done_by=by)
    message.refresh_from_db()
    return message
