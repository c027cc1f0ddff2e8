"""GDPR export and erasure of a citizen's course registrations (registered with accounts.registry)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from academy.models import Registration
from academy.services.registrations import registration_cancel

COVERS = frozenset(
    {
        *(
            f"academy.Registration.{name}"
            for name in ("user", "name", "phone", "email", "note", "registered_by", "access_needs", "access_needs_text")
        ),
        "academy.ParticipantMessage.body",
    }
)
STAFF_RECORD = "the staff member who acted; their own account, not the participant's"
NOT_PERSONAL = {
    "academy.Attendance.recorded_by": STAFF_RECORD,
    "academy.ParticipantMessage.done_by": STAFF_RECORD,
    "academy.Location.name": "a course venue",
    "academy.Location.address": "a course venue's address",
    "academy.Session.cancel_message": "the trainer's public notice to all participants of a cancelled session",
    "academy.Course.trainers": "staff trainers of a course; a trainer's account is removed from it with the account",
}


def _time(value) -> str | None:
    return value.isoformat() if value else None


def registrations_export(*, user: AbstractBaseUser) -> list[dict]:
    """Every registration of any format (course series, single session, drop-in, consultation),
    with what the citizen told us (access needs, notes), their attendance and our messages to them."""
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("course", "session")
        .prefetch_related("attendances__session", "messages")
        .order_by("created_at")
    )
    return [
        {
            "course": registration.course.title,
            "session_starts_at": _time(registration.session.start) if registration.session else None,
            "status": registration.status,
            "name": registration.name,
            "phone": registration.phone,
            "email": registration.email,
            "note": registration.note,
            "with_companion": registration.with_companion,
            "seats": registration.seats,
            "access_needs": registration.access_needs,
            "access_needs_text": registration.access_needs_text,
            "waitlist_position": registration.waitlist_position,
            "created_at": _time(registration.created_at),
            "attendance": [
                {"session_starts_at": _time(attendance.session.start), "present": attendance.present}
                for attendance in sorted(registration.attendances.all(), key=lambda entry: entry.session.start)
            ],
            "messages": [
                {
                    "channel": message.channel,
                    "subject": message.subject,
                    "body": message.body,
                    "created_at": _time(message.created_at),
                }
                for message in sorted(registration.messages.all(), key=lambda message: message.created_at)
            ],
        }
        for registration in registrations
    ]


@transaction.atomic
def registrations_erase(*, user: AbstractBaseUser) -> None:
    """Give up every place and waiting-list entry first, so the next person moves up;
    the rows then go with the account (the foreign key cascades)."""
    for registration in Registration.objects.filter(user=user, status__in=Registration.ACTIVE):
        registration_cancel(registration=registration)
