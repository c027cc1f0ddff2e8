"""Registration writes: seats, the waiting list, holds and promotion.

Every write that can change who holds a seat locks the *seat pool* first: the
course row for a series, the session row for drop-in and consultation slots
(``select_for_update`` inside ``transaction.atomic``). Counting seats, handing out
a waiting-list position and promoting the next person then happen one pool at a
time, so capacity is never exceeded (docs/academy.md, "Waiting-list rules").
Partial unique constraints back this up: one active registration per person and
pool, one waiting-list position per number.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from academy.models import AccessNeed, Course, Registration, Session
from academy.services import messages

# Tests switch this off to show that without the row lock the race overbooks.
LOCK_SEAT_POOL = True
MINIMUM_HOLD = datetime.timedelta(hours=1)


class RegistrationError(Exception):
    """A registration request that cannot be fulfilled; ``message`` is for the citizen."""

    def __init__(self, message, *, field: str = "non_field_errors", code: str = "invalid"):
        super().__init__(str(message))
        self.message, self.field, self.code = message, field, code


@dataclass(frozen=True)
class SeatPool:
    """The places one registration competes for: a whole series, or one session."""

    course_id: int
    session_id: int | None
    capacity: int
    starts_at: datetime.datetime | None
    cutoff_hours: int

    def registrations(self) -> QuerySet[Registration]:
        pool = Registration.objects.filter(course_id=self.course_id)
        if self.session_id is None:
            return pool.filter(session__isnull=True)
        return pool.filter(session_id=self.session_id)

    def seated(self) -> int:
        return self.registrations().filter(status__in=Registration.SEATED).aggregate(seats=Sum("seats"))["seats"] or 0

    def waiting(self) -> QuerySet[Registration]:
        return self.registrations().filter(status=Registration.Status.WAITING).order_by("waitlist_position")


def _lock(queryset: QuerySet) -> QuerySet:
    return queryset.select_for_update(of=("self",)) if LOCK_SEAT_POOL else queryset


def seat_pool_lock(*, course_id: int, session_id: int | None) -> SeatPool:
    """Lock and describe the pool. Call inside ``transaction.atomic``."""
    if session_id is not None:
        session = _lock(Session.objects.filter(pk=session_id, course_id=course_id)).values(
            "capacity", "start", "course__cutoff_hours"
        )
        row = session.first()
        if row is None:
            raise RegistrationError(_("Diesen Termin gibt es nicht."), field="session", code="unknown_session")
        return SeatPool(course_id, session_id, row["capacity"], row["start"], row["course__cutoff_hours"])
    row = _lock(Course.objects.filter(pk=course_id)).values("capacity", "cutoff_hours").first()
    if row is None:
        raise RegistrationError(_("Diesen Kurs gibt es nicht."), field="course", code="unknown_course")
    first_start = Session.objects.filter(course_id=course_id, status=Session.Status.SCHEDULED).aggregate(
        first=Min("start")
    )["first"]
    return SeatPool(course_id, None, row["capacity"], first_start, row["cutoff_hours"])


def registration_cutoff(*, pool: SeatPool) -> datetime.datetime | None:
    if pool.starts_at is None:
        return None
    return pool.starts_at - datetime.timedelta(hours=pool.cutoff_hours)


def hold_duration(*, starts_at: datetime.datetime | None, now: datetime.datetime) -> datetime.timedelta | None:
    """How long a promoted person has to confirm: ACADEMY_HOLD_HOURS (24 h), but at
    most half the time left before the start, so the next person still has time too.
    ``None`` when the start is too close for a hold to be fair."""
    default = datetime.timedelta(hours=settings.ACADEMY_HOLD_HOURS)
    if starts_at is None:
        return default
    left = starts_at - now
    if left < 2 * MINIMUM_HOLD:
        return None
    return min(default, left / 2)


def _validate_person(*, user, name: str, phone: str, email: str, registered_by) -> None:
    if user is not None:
        return
    if registered_by is None:
        raise RegistrationError(_("Bitte melden Sie sich an, um sich für einen Kurs anzumelden."), code="login")
    if not name.strip():
        raise RegistrationError(_("Bitte geben Sie den Namen an."), field="name")
    if not (phone.strip() or email.strip()):
        raise RegistrationError(_("Bitte geben Sie eine Telefonnummer oder eine E-Mail-Adresse an."), field="phone")


def _validate_target(*, course: Course, session: Session | None) -> None:
    if not course.is_offered:
        raise RegistrationError(
            _("Dieser Kurs wird nicht mehr angeboten. Bitte wählen Sie einen anderen Kurs."), code="not_offered"
        )
    if course.is_per_session and session is None:
        raise RegistrationError(_("Bitte wählen Sie einen Termin."), field="session", code="session_required")
    if not course.is_per_session and session is not None:
        raise RegistrationError(
            _("Für diese Kursreihe melden Sie sich für alle Termine an, nicht für einzelne."), field="session"
        )
    if session is not None and session.is_cancelled:
        raise RegistrationError(_("Dieser Termin ist abgesagt."), field="session", code="session_cancelled")


def _validate_access_needs(access_needs) -> list[str]:
    known = set(AccessNeed.values)
    needs = [str(need) for need in access_needs or []]
    unknown = [need for need in needs if need not in known]
    if unknown:
        raise RegistrationError(_("Unbekannte Angabe zur Unterstützung."), field="access_needs")
    return sorted(set(needs))


def session_of_course(*, course: Course, session_id: int | None) -> Session | None:
    """The session a request names, if any; one of another course counts as unknown."""
    if not session_id:
        return None
    session = Session.objects.filter(pk=session_id, course_id=course.pk).first()
    if session is None:
        raise RegistrationError(_("Diesen Termin gibt es nicht."), field="session", code="unknown_session")
    return session


def registration_create(
    *,
    course: Course,
    session: Session | None = None,
    user: AbstractBaseUser | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    note: str = "",
    registered_by: AbstractBaseUser | None = None,
    with_companion: bool = False,
    access_needs=(),
    access_needs_text: str = "",
    now: datetime.datetime | None = None,
) -> Registration:
    """Take a place if one is free and nobody waits; otherwise join the waiting list.

    ``user`` registers a signed-in citizen; staff pass ``registered_by`` with name
    and phone or email for a caller without an account.
    """
    now = now or timezone.now()
    _validate_person(user=user, name=name, phone=phone, email=email, registered_by=registered_by)
    _validate_target(course=course, session=session)
    needs = _validate_access_needs(access_needs)
    course_id = course.pk
    with transaction.atomic():
        pool = seat_pool_lock(course_id=course_id, session_id=session.pk if session else None)
        cutoff = registration_cutoff(pool=pool)
        if cutoff is None:
            raise RegistrationError(_("Für diesen Kurs stehen noch keine Termine fest."), code="no_sessions")
        if now >= cutoff:
            raise RegistrationError(
                _("Die Anmeldung ist geschlossen. Bitte rufen Sie uns an, vielleicht ist noch etwas möglich."),
                code="closed",
            )
        if user is not None and pool.registrations().filter(user=user, status__in=Registration.ACTIVE).exists():
            raise RegistrationError(_("Sie sind für diesen Kurs schon angemeldet."), code="duplicate")
        registration = Registration(
            course_id=course_id,
            session=session,
            user=user,
            name=name.strip(),
            phone=phone.strip(),
            email=email.strip(),
            note=note.strip(),
            registered_by=registered_by,
            with_companion=with_companion,
            seats=2 if with_companion else 1,
            access_needs=needs,
            access_needs_text=access_needs_text.strip(),
        )
        free = pool.capacity - pool.seated()
        if free >= registration.seats and not pool.waiting().exists():
            registration.status = Registration.Status.CONFIRMED
        else:
            registration.status = Registration.Status.WAITING
            last = pool.registrations().aggregate(last=Max("waitlist_position"))["last"] or 0
            registration.waitlist_position = last + 1
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError as error:
            raise RegistrationError(_("Sie sind für diesen Kurs schon angemeldet."), code="duplicate") from error
        if registration.status == Registration.Status.CONFIRMED:
            messages.registration_confirmed_notify(registration=registration)
        else:
            messages.registration_waitlisted_notify(registration=registration)
    return registration


def _transition(registration: Registration, status: str) -> None:
    if status not in Registration.TRANSITIONS[registration.status]:
        raise RegistrationError(_("Das ist bei dieser Anmeldung nicht mehr möglich."), code="invalid_state")
    registration.status = status


def _relock(registration: Registration) -> tuple[SeatPool, Registration]:
    pool = seat_pool_lock(course_id=registration.course_id, session_id=registration.session_id)
    return pool, Registration.objects.select_related("course", "session", "user").get(pk=registration.pk)


def registration_cancel(*, registration: Registration, now: datetime.datetime | None = None) -> Registration:
    """Give up a place or leave the waiting list; a freed place goes to the next person."""
    now = now or timezone.now()
    with transaction.atomic():
        pool, registration = _relock(registration)
        was_seated = registration.status in Registration.SEATED
        _transition(registration, Registration.Status.CANCELLED)
        registration.hold_until = None
        registration.save(update_fields=["status", "hold_until", "updated_at"])
        if was_seated:
            waitlist_promote(pool=pool, now=now)
    return registration


def registration_waitlist_leave(*, registration: Registration, now: datetime.datetime | None = None) -> Registration:
    if registration.status != Registration.Status.WAITING:
        raise RegistrationError(_("Sie stehen nicht mehr auf der Warteliste."), code="invalid_state")
    return registration_cancel(registration=registration, now=now)


def registration_hold_confirm(*, registration: Registration, now: datetime.datetime | None = None) -> Registration:
    """Accept a place held after promotion, before the hold runs out."""
    now = now or timezone.now()
    with transaction.atomic():
        _pool, registration = _relock(registration)
        if registration.status == Registration.Status.CONFIRMED:
            return registration
        if registration.status != Registration.Status.HELD or registration.hold_until <= now:
            raise RegistrationError(
                _("Die Reservierung ist abgelaufen. Bitte melden Sie sich neu an."), code="hold_expired"
            )
        _transition(registration, Registration.Status.CONFIRMED)
        registration.hold_until = None
        registration.save(update_fields=["status", "hold_until", "updated_at"])
        messages.registration_confirmed_notify(registration=registration)
    return registration


def waitlist_promote(*, pool: SeatPool, now: datetime.datetime) -> list[Registration]:
    """Offer freed places to the waiting list in order. The pool must be locked.

    Strictly first come, first served: when the first person needs two seats
    (with companion) and only one is free, nobody behind them jumps the queue.
    """
    hold = hold_duration(starts_at=pool.starts_at, now=now)
    if hold is None:
        return []
    promoted = []
    free = pool.capacity - pool.seated()
    for registration in pool.waiting().select_related("course", "session", "user"):
        if registration.seats > free:
            break
        _transition(registration, Registration.Status.HELD)
        registration.hold_until = now + hold
        registration.save(update_fields=["status", "hold_until", "updated_at"])
        messages.registration_promoted_notify(registration=registration)
        free -= registration.seats
        promoted.append(registration)
    return promoted


def holds_expire(*, now: datetime.datetime | None = None) -> int:
    """Periodic and idempotent: end holds that ran out and ask the next person.

    Scheduled every five minutes (cms/schedules.py). Running it twice
    finds nothing the second time.
    """
    now = now or timezone.now()
    expired = 0
    for registration in Registration.objects.filter(status=Registration.Status.HELD, hold_until__lte=now):
        with transaction.atomic():
            pool, registration = _relock(registration)
            if registration.status != Registration.Status.HELD or registration.hold_until > now:
                continue
            _transition(registration, Registration.Status.EXPIRED)
            registration.save(update_fields=["status", "updated_at"])
            messages.registration_hold_expired_notify(registration=registration)
            waitlist_promote(pool=pool, now=now)
            expired += 1
    return expired


def pool_capacity_change(
    *, course_id: int, session_id: int | None, capacity: int, now: datetime.datetime | None = None
) -> list[Registration]:
    """Set a new capacity and promote waiting people into new places.

    Lowering it never removes anyone already seated; it only stops new seats.
    """
    now = now or timezone.now()
    if capacity < 1:
        raise RegistrationError(_("Ein Termin braucht mindestens einen Platz."), field="capacity")
    with transaction.atomic():
        seat_pool_lock(course_id=course_id, session_id=session_id)
        if session_id is None:
            Course.objects.filter(pk=course_id).update(capacity=capacity)
        else:
            Session.objects.filter(pk=session_id).update(capacity=capacity)
        pool = seat_pool_lock(course_id=course_id, session_id=session_id)
        return waitlist_promote(pool=pool, now=now)


def pools_promote(*, course_id: int, now: datetime.datetime | None = None) -> None:
    """Promote into every pool of a course, e.g. after an editor raised the capacity."""
    now = now or timezone.now()
    session_ids = [None]
    if Session.objects.filter(course_id=course_id).exists():
        session_ids += list(
            Registration.objects.filter(course_id=course_id, session__isnull=False, status=Registration.Status.WAITING)
            .values_list("session_id", flat=True)
            .distinct()
        )
    for session_id in session_ids:
        with transaction.atomic():
            pool = seat_pool_lock(course_id=course_id, session_id=session_id)
            waitlist_promote(pool=pool, now=now)
