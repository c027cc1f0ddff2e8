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
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from wagtail.models import Locale, Page

from academy.models import (
    AccessNeed,
    Course,
    CoursePage,
    Level,
    ParticipantMessage,
    Registration,
    Session,
)
from notifications.models import Topic
from notifications.selectors import topics_for_locale

# Step-free access and the hearing loop belong to a session's room; large print to the course page.
ACCESS_FILTERS = {
    "stufenlos": ("location__step_free", _("Stufenlos erreichbar")),
    "hoerschleife": ("location__hearing_loop", _("Induktionsschleife")),
    "grossdruck": ("large_print", _("Unterlagen in Großdruck")),
}
PAGE_ACCESS_FILTERS = {"grossdruck"}
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
    sessions: list[Session] = field(default_factory=list)
    availability: Availability = field(default_factory=lambda: Availability("closed"))
    session_cards: list[SessionCard] = field(default_factory=list)

    @property
    def course(self) -> Course:
        return self.page.course

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
    counts = _counts(course_ids=[card.page.course_id for card in cards])
    for card in cards:
        card.sessions = by_course.get(card.page.course_id, [])
        if not card.sessions:
            continue
        cutoff_delta = datetime.timedelta(hours=card.course.cutoff_hours)
        if card.course.is_per_session:
            card.session_cards = [
                SessionCard(
                    session,
                    _availability(
                        capacity=session.capacity,
                        counts=counts[(card.page.course_id, session.pk)],
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
                capacity=card.course.capacity,
                counts=counts[(card.page.course_id, None)],
                cutoff=card.sessions[0].start - cutoff_delta,
                now=now,
            )


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
    """Live course pages in a locale whose course still has a session ahead, soonest first."""
    now = now or timezone.now()
    sessions_query = Session.objects.filter(
        status=Session.Status.SCHEDULED, end__gte=now, course__status=Course.Status.OFFERED
    ).select_related("location", "course")
    if date_from:
        sessions_query = sessions_query.filter(start__date__gte=date_from)
    session_access = [key for key in access if key in ACCESS_FILTERS and key not in PAGE_ACCESS_FILTERS]
    for key in session_access:
        sessions_query = sessions_query.filter(**{ACCESS_FILTERS[key][0]: True})
    sessions = list(sessions_query.order_by("start"))
    pages = (
        CoursePage.objects.live()
        .public()
        .filter(locale=locale, course_id__in={session.course_id for session in sessions})
        .select_related("locale", "image", "course")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("sort_order")))
    )
    for key in set(access) & PAGE_ACCESS_FILTERS:
        pages = pages.filter(**{ACCESS_FILTERS[key][0]: True})
    if topic_slug:
        pages = pages.filter(topics__slug=topic_slug).distinct()
    if level:
        pages = pages.filter(level=level)
    cards = [CourseCard(page=page) for page in pages]
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


def courses_for_home(*, locale: Locale, limit: int = 3, now: datetime.datetime | None = None) -> list[CourseCard]:
    """The ``limit`` courses that start soonest, as ``courses_upcoming`` orders them, with SQL's LIMIT:
    the database picks the pages by their next session, and only their sessions are loaded."""
    now = now or timezone.now()
    ahead = Session.objects.filter(status=Session.Status.SCHEDULED, end__gte=now, course__status=Course.Status.OFFERED)
    next_start = ahead.filter(course_id=OuterRef("course_id")).order_by("start").values("start")[:1]
    pages = list(
        CoursePage.objects.live()
        .public()
        .filter(locale=locale)
        .annotate(next_start=Subquery(next_start))
        .filter(next_start__isnull=False)
        .order_by("next_start", "path")
        .select_related("locale", "image", "course")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("sort_order")))[:limit]
    )
    sessions = ahead.filter(course_id__in={page.course_id for page in pages}).select_related("location", "course")
    cards = [CourseCard(page=page) for page in pages]
    _cards_fill(cards, list(sessions.order_by("start")), now)
    return [card for card in cards if card.sessions]


def course_card(*, course_page: CoursePage, now: datetime.datetime | None = None) -> CourseCard:
    """One page's course with its upcoming sessions and free places."""
    now = now or timezone.now()
    card = CourseCard(page=course_page)
    sessions = list(
        Session.objects.filter(course_id=course_page.course_id, status=Session.Status.SCHEDULED, end__gte=now)
        .select_related("location", "course")
        .order_by("start")
    )
    _cards_fill([card], sessions, now)
    return card


def german_course_pages(*, lookup: str = "course__pages") -> Prefetch:
    """Prefetch a course's German pages into ``german_pages`` (oldest first): the
    page the trainers' area links to and whose id the API gives as the course id."""
    german = CoursePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("path")
    return Prefetch(lookup, queryset=german, to_attr="german_pages")


def course_page_for(*, course: Course, locale: Locale | None = None) -> CoursePage | None:
    """The page that shows a course: in ``locale`` if there is one, else the German one,
    else any; ``None`` once every page of it is deleted."""
    pages = {page.locale.language_code: page for page in course.pages.select_related("locale").order_by("-path")}
    wanted = [locale.language_code] if locale else []
    for code in [*wanted, settings.LANGUAGE_CODE]:
        if code in pages:
            return pages[code]
    return next(iter(pages.values()), None)


def waitlist_rank(*, registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITING:
        return None
    pool = Registration.objects.filter(course_id=registration.course_id, status=Registration.Status.WAITING)
    pool = pool.filter(session_id=registration.session_id) if registration.session_id else pool.filter(session=None)
    return pool.filter(waitlist_position__lt=registration.waitlist_position).count() + 1


def course_page_context(*, course_page: CoursePage, user: AbstractBaseUser) -> dict[str, Any]:
    card = course_card(course_page=course_page)
    mine = []
    if user.is_authenticated:
        mine = list(
            Registration.objects.filter(course_id=course_page.course_id, user=user, status__in=Registration.ACTIVE)
            .select_related("session")
            .order_by("created_at")
        )
        for registration in mine:
            registration.rank = waitlist_rank(registration=registration)
    all_sessions = list(
        Session.objects.filter(course_id=course_page.course_id).select_related("location").order_by("start")
    )
    return {
        "card": card,
        "all_sessions": all_sessions,
        "my_registrations": mine,
        "access_needs": AccessNeed.choices,
        "learning_goals": [line for line in course_page.learning_goals.splitlines() if line.strip()],
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
    locale = Locale.get_active()
    for registration in registrations:
        registration.rank = waitlist_rank(registration=registration)
        registration.course_page = course_page_for(course=registration.course, locale=locale)
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


def courses_for_staff(*, user: AbstractBaseUser) -> QuerySet[Course]:
    """Courses this person may manage: all for Redaktion, their own for trainers.
    ``german_pages`` holds the German page of each, for the admin's edit link."""
    courses = Course.objects.prefetch_related(german_course_pages(lookup="pages")).order_by("title")
    if staff_manages_all(user=user):
        return courses
    return courses.filter(trainers=user)


def booked_courses_left_without_page(*, page_ids: set[int]) -> QuerySet[Course]:
    """Courses with registrations that no page would show once these pages are gone.

    The records would survive (they belong to the course, not the page), but the
    course would vanish from the site while citizens still hold places in it, so the
    admin asks editors to unpublish such a page instead of deleting it.
    """
    other_pages = CoursePage.objects.filter(course=OuterRef("pk")).exclude(pk__in=page_ids)
    return (
        Course.objects.filter(pk__in=CoursePage.objects.filter(pk__in=page_ids).values("course_id"))
        .filter(Exists(Registration.objects.filter(course=OuterRef("pk"))), ~Exists(other_pages))
        .annotate(registration_count=Count("registrations"))
        .order_by("title")
    )


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
