"""GDPR export and erasure of a citizen's course registrations (registered with accounts.registry)."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from academy.models import Registration
from academy.services.registrations import registration_cancel


def registrations_export(*, user: AbstractBaseUser) -> list[dict]:
    registrations = Registration.objects.filter(user=user).select_related("course", "session").order_by("created_at")
    return [
        {
            "course": registration.course.title,
            "session_starts_at": registration.session.start.isoformat() if registration.session else None,
            "status": registration.status,
            "with_companion": registration.with_companion,
            "access_needs": registration.access_needs,
            "created_at": registration.created_at.isoformat(),
        }
        for registration in registrations
    ]


@transaction.atomic
def registrations_erase(*, user: AbstractBaseUser) -> None:
    """Give up every place and waiting-list entry first, so the next person moves up;
    the rows then go with the account (the foreign key cascades)."""
    for registration in Registration.objects.filter(user=user, status__in=Registration.ACTIVE):
        registration_cancel(registration=registration)
