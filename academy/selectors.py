"""Reads for the academy: course lists with free places, a course's sessions,
Mein Konto, trainer views and certificates.

The course list runs a fixed number of queries however many courses there are
(tests/academy/test_selectors.py holds it to a budget with 10 and 100 courses).
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page

from academy.models import (
    AccessNeed,
    CoursePage,
    Level,
    ParticipantMessage,
    Registration,
    Session,
)
from notifications.models import Topic
from notifications.selectors import topics_for_locale

ACCESS_FILTERS = {
    "stufenlos": ("location__step_free", _("Stufenlos erreichbar")),
    "hoerschleife": ("location__hearing_loop", _("Induktionsschleife")),
    "grossdruck": ("course__large_print", _("Unterlagen in Großdruck")),
}
MANAGE_ALL = "academy.manage_all_sessions"


@dataclass
class Availability:
    """What the list shows: free places, waiting list open, or full."""

    state: str  # "free", "waitlist", "closed"
    free: int = 0
    waiting: int = 0

    @property
    def label(self) -> str:
        if self.state == "free":
            return _("Noch %(count)s Plätze frei") % {"count": self.free} if self.free != 1 else _("Noch 1 Platz frei")
        if self.state == "waitlist":
            return _("Ausgebucht – Warteliste offen")
        return _("Ausgebucht")


@dataclass
class SessionCard:
    session: Session
    availability: Availability


@dataclass
class CourseCard:
    page: CoursePage
    source_id: int
    sessions: list[Session] = field(default_factory=list)
    availability: Availability = field(default_factory=lambda: Availability("closed"))
    session_cards: list[SessionCard] = field(default_factory=list)

    @property
    def next_session(self) -> Session | None:
        return self.sessions[0] if self.sessions else None


def _counts(*, course_ids) -> dict[tuple[int, int | None], dict[str, int]]:
    """Seats and waiting people per pool, in one query."""
    counts: dict[tuple[int, int | None], dict[str, int]] = defaultdict(lambda: {"seated": 0, "waiting": 0})
    rows = (
        Registration.objects.filter(course_id__in=course_ids, status__in=Registration.ACTIVE)
        .values("course_id", "session_id", "status")
        .annotate(seats=Sum("seats"), people=Count("id"))
    )
    for row in rows:
        pool = counts[(row["course_id"], row["session_id"])]
        if row["status"] == Registration.Status.WAITING:
            pool["waiting"] += row["people"]
        else:
            pool["seated"] += row["seats"]
    return counts


def _availability(*, capacity: int, counts: dict[str, int], cutoff: datetime.datetime, now) -> Availability:
    if now >= cutoff:
        return Availability("closed", waiting=counts["waiting"])
    free = capacity - counts["seated"]
    if free > 0 and not counts["waiting"]:
        return Availability("free", free=free)
    return Availability("waitlist", waiting=counts["waiting"])


def _cards_fill(cards: list[CourseCard], sessions: list[Session], now) -> None:
    by_course = defaultdict(list)
    for session in sessions:
        by_course[session.course_id].append(session)
    counts = _counts(course_ids=[card.source_id for card in cards])
    for card in cards:
        card.sessions = by_course.get(card.source_id, [])
        if not card.sessions:
            continue
        cutoff_delta = datetime.timedelta(hours=card.page.cutoff_hours)
        if card.page.is_per_session:
            card.session_cards = [
                SessionCard(
                    session,
                    _availability(
                        capacity=session.capacity,
                        counts=counts[(card.source_id, session.pk)],
                        cutoff=session.start - cutoff_delta,
                        now=now,
                    ),
                )
                for session in card.sessions
            ]
            states = [item.availability for item in card.session_cards]
            free = [item for item in states if item.state == "free"]
            waitlist = [item for item in states if item.state == "waitlist"]
            if free:
                card.availability = Availability("free", free=sum(item.free for item in free))
            elif waitlist:
                card.availability = Availability("waitlist", waiting=sum(item.waiting for item in waitlist))
        else:
            card.availability = _availability(
                capacity=card.page.capacity,
                counts=counts[(card.source_id, None)],
                cutoff=card.sessions[0].start - cutoff_delta,
                now=now,
            )


def _source_ids(pages: list[CoursePage]) -> dict[int, int]:
    """Page id -> id of its German source page, in one query."""
    german = [page for page in pages if page.locale.language_code == settings.LANGUAGE_CODE]
    mapping = {page.pk: page.pk for page in german}
    others = [page for page in pages if page.pk not in mapping]
    if others:
        sources = dict(
            CoursePage.objects.filter(
                translation_key__in=[page.translation_key for page in others],
                locale__language_code=settings.LANGUAGE_CODE,
            ).values_list("translation_key", "pk")
        )
        mapping.update({page.pk: sources.get(page.translation_key, page.pk) for page in others})
    return mapping


def courses_upcoming(
    *,
    locale: Locale,
    topic_slug: str = "",
    level: str = "",
    date_from: datetime.date | None = None,
    access: tuple[str, ...] = (),
    now: datetime.datetime | None = None,
    limit: int | None = None,
) -> list[CourseCard]:
    """Live courses in a locale that still have a session ahead, soonest first."""
    now = now or timezone.now()
    sessions_query = Session.objects.filter(status=Session.Status.SCHEDULED, end__gte=now).select_related(
        "location", "course"
    )
    if date_from:
        sessions_query = sessions_query.filter(start__date__gte=date_from)
    for key in access:
        if key in ACCESS_FILTERS:
            sessions_query = sessions_query.filter(**{ACCESS_FILTERS[key][0]: True})
    sessions = list(sessions_query.order_by("start"))
    source_ids = {session.course_id for session in sessions}
    pages = (
        CoursePage.objects.live()
        .public()
        .filter(
            locale=locale,
            translation_key__in=CoursePage.objects.filter(pk__in=source_ids).values("translation_key"),
        )
        .select_related("locale", "image")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("sort_order")))
    )
    if topic_slug:
        pages = pages.filter(topics__slug=topic_slug).distinct()
    if level:
        pages = pages.filter(level=level)
    pages = list(pages)
    mapping = _source_ids(pages)
    cards = [CourseCard(page=page, source_id=mapping[page.pk]) for page in pages]
    _cards_fill(cards, sessions, now)
    cards = [card for card in cards if card.sessions]
    cards.sort(key=lambda card: card.sessions[0].start)
    return cards[:limit] if limit else cards


def session_availabilities(card: CourseCard) -> list[SessionCard]:
    """Each upcoming session with the availability of the pool it belongs to."""
    if card.session_cards:
        return card.session_cards
    return [SessionCard(session, card.availability) for session in card.sessions]


def academy_index_context(*, index: Page, params) -> dict[str, Any]:
    level = params.get("stufe", "")
    level = level if level in Level.values else ""
    date_from = parse_date(params.get("ab", "") or "") if params.get("ab") else None
    access = tuple(key for key in params.getlist("barrierefrei") if key in ACCESS_FILTERS)
    topic_slug = params.get("thema", "")
    return {
        "courses": courses_upcoming(
            locale=index.locale, topic_slug=topic_slug, level=level, date_from=date_from, access=access
        ),
        "topics": list(topics_for_locale(locale=index.locale)),
        "levels": Level.choices,
        "access_filters": [(key, label) for key, (_field, label) in ACCESS_FILTERS.items()],
        "active": {"thema": topic_slug, "stufe": level, "ab": params.get("ab", ""), "barrierefrei": access},
    }


def courses_for_home(*, locale: Locale, limit: int = 3) -> list[CourseCard]:
    return courses_upcoming(locale=locale, limit=limit)


def course_card(*, course: CoursePage, now: datetime.datetime | None = None) -> CourseCard:
    now = now or timezone.now()
    card = CourseCard(page=course, source_id=course.source_id)
    sessions = list(
        Session.objects.filter(course_id=card.source_id, status=Session.Status.SCHEDULED, end__gte=now)
        .select_related("location")
        .order_by("start")
    )
    _cards_fill([card], sessions, now)
    return card


def waitlist_rank(*, registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITING:
        return None
    pool = Registration.objects.filter(course_id=registration.course_id, status=Registration.Status.WAITING)
    pool = pool.filter(session_id=registration.session_id) if registration.session_id else pool.filter(session=None)
    return pool.filter(waitlist_position__lt=registration.waitlist_position).count() + 1


def course_page_context(*, course: CoursePage, user: AbstractBaseUser) -> dict[str, Any]:
    card = course_card(course=course)
    mine = []
    if user.is_authenticated:
        mine = list(
            Registration.objects.filter(course_id=card.source_id, user=user, status__in=Registration.ACTIVE)
            .select_related("session")
            .order_by("created_at")
        )
        for registration in mine:
            registration.rank = waitlist_rank(registration=registration)
    all_sessions = list(Session.objects.filter(course_id=card.source_id).select_related("location").order_by("start"))
    return {
        "card": card,
        "all_sessions": all_sessions,
        "my_registrations": mine,
        "access_needs": AccessNeed.choices,
        "learning_goals": [line for line in course.learning_goals.splitlines() if line.strip()],
    }


def registrations_for_account(*, user: AbstractBaseUser) -> dict[str, Any]:
    """Mein Konto: current registrations and waiting-list places, and certificates."""
    registrations = list(
        Registration.objects.filter(user=user, status__in=Registration.ACTIVE)
        .select_related("course", "session", "session__location")
        .order_by("created_at")
    )
    confirmed_ids = [registration.pk for registration in registrations if registration.status == "confirmed"]
    shares = attendance_shares(registration_ids=confirmed_ids)
    now = timezone.now()
    for registration in registrations:
        registration.rank = waitlist_rank(registration=registration)
        registration.certificate_ready = shares.get(registration.pk, False)
        if registration.session_id:
            registration.is_over = registration.session.end < now
        else:
            registration.is_over = not Session.objects.filter(
                course_id=registration.course_id, status=Session.Status.SCHEDULED, end__gte=now
            ).exists()
    return {"registrations": registrations}


def attendance_shares(*, registration_ids: list[int]) -> dict[int, bool]:
    """Which registrations have reached the certificate share of attended sessions."""
    share = settings.ACADEMY_CERTIFICATE_SHARE
    result = {}
    registrations = Registration.objects.filter(pk__in=registration_ids).annotate(
        attended=Count("attendances", filter=Q(attendances__present=True))
    )
    for registration in registrations:
        if registration.session_id:
            total = 1
        else:
            total = Session.objects.filter(course_id=registration.course_id, status=Session.Status.SCHEDULED).count()
        result[registration.pk] = total > 0 and registration.attended >= math.ceil(share * total - 1e-9)
    return result


def certificate_data(*, registration: Registration) -> dict[str, Any] | None:
    """What a certificate shows, or None below the threshold."""
    if registration.status != Registration.Status.CONFIRMED:
        return None
    if not attendance_shares(registration_ids=[registration.pk]).get(registration.pk):
        return None
    attended = list(
        Session.objects.filter(attendances__registration=registration, attendances__present=True).order_by("start")
    )
    return {"registration": registration, "course": registration.course, "sessions": attended}


# --- staff and trainers ---------------------------------------------------


def staff_manages_all(*, user: AbstractBaseUser) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(MANAGE_ALL))


def courses_for_staff(*, user: AbstractBaseUser) -> QuerySet[CoursePage]:
    """German course pages this person may manage: all for Redaktion, own for trainers."""
    courses = CoursePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("title")
    if staff_manages_all(user=user):
        return courses
    return courses.filter(trainers=user)


def sessions_for_staff(*, user: AbstractBaseUser, upcoming_only: bool = False) -> QuerySet[Session]:
    sessions = Session.objects.filter(course__in=courses_for_staff(user=user)).select_related("course", "location")
    if upcoming_only:
        sessions = sessions.filter(end__gte=timezone.now() - datetime.timedelta(hours=12))
    return sessions.order_by("start")


def session_participant_list(*, session: Session) -> list[Registration]:
    """Everyone with a place (and then the waiting list), with attendance."""
    from academy.services.sessions import session_participants

    registrations = list(
        session_participants(session=session)
        .filter(status__in=Registration.ACTIVE)
        .select_related("user", "user__profile")
        .order_by("status", "waitlist_position", "created_at")
    )
    present = dict(session.attendances.filter(registration__in=registrations).values_list("registration_id", "present"))
    labels = dict(AccessNeed.choices)
    for registration in registrations:
        registration.present = present.get(registration.pk)
        registration.access_labels = [labels.get(need, need) for need in registration.access_needs]
    return registrations


def call_list(*, user: AbstractBaseUser) -> QuerySet[ParticipantMessage]:
    """Messages for callers without email that staff still have to phone through."""
    return (
        ParticipantMessage.objects.filter(
            channel=ParticipantMessage.Channel.CALL,
            done_at__isnull=True,
            registration__course__in=courses_for_staff(user=user),
        )
        .select_related("registration", "registration__course", "registration__session")
        .order_by("created_at")
    )
