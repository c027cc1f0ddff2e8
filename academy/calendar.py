"""iCalendar (RFC 5545) files for courses and sessions, made with ``icalendar``.

Each session is one VEVENT whose UID stays the same for its lifetime, so calendar
apps update a changed or cancelled session instead of adding a second one.
"""

from icalendar import Calendar, Event

from django.conf import settings
from django.utils import timezone

from wagtail.models import Locale

from academy.models import Course, CoursePage, Registration, Session
from academy.selectors import course_page_for

PRODID = "-//Stadt Norderstedt//Norderstedt GO! Digitalakademie//DE"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(session: Session, *, title: str, url: str) -> Event:
    event = Event()
    event.add("uid", f"academy-session-{session.pk}@{settings.SITE_URL.split('://')[-1]}")
    event.add("summary", title)
    event.add("dtstart", session.start)
    event.add("dtend", session.end)
    event.add("dtstamp", timezone.now())
    event.add("location", f"{session.location.name}, {session.location.address}")
    if url:
        event.add("url", url)
    if session.is_cancelled:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    return event


def _page_url(page: CoursePage | None) -> str:
    return (page.get_full_url() or "") if page else ""


def sessions_calendar(*, sessions, name: str, pages: dict[int, CoursePage] | None = None) -> bytes:
    """One VEVENT per session, titled and linked like the course's page in the active
    language (``pages`` maps course ids to pages already at hand)."""
    calendar = _calendar(name)
    pages = dict(pages or {})
    locale = Locale.get_active()
    for session in sessions:
        if session.course_id not in pages:
            pages[session.course_id] = course_page_for(course=session.course, locale=locale)
        page = pages[session.course_id]
        title = page.title if page else session.course.title
        calendar.add_component(_event(session, title=title, url=_page_url(page)))
    return calendar.to_ical()


def course_calendar(*, course: Course, title: str = "") -> bytes:
    sessions = Session.objects.filter(course=course).select_related("location", "course")
    return sessions_calendar(sessions=sessions.order_by("start"), name=title or course.title)


def session_calendar(*, session: Session) -> bytes:
    return sessions_calendar(sessions=[session], name=session.course.title)


def registration_calendar(*, registration: Registration) -> bytes:
    if registration.session_id:
        return session_calendar(session=registration.session)
    return course_calendar(course=registration.course)
