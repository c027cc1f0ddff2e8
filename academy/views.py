"""Citizen views: register, one-click links, Mein Konto actions, calendars, certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academy.calendar import course_calendar, session_calendar, sessions_calendar
from academy.certificates import certificate_pdf
from academy.forms import RegistrationForm
from academy.links import ACTIONS, registration_from_token
from academy.models import CoursePage, Registration, Session
from academy.selectors import certificate_data, courses_upcoming
from academy.services.registrations import (
    RegistrationError,
    registration_cancel,
    registration_create,
    registration_hold_confirm,
    session_of_course,
)
from cms.headers import personal

CALENDAR = "text/calendar; charset=utf-8"


def _live_course(course_id: int) -> CoursePage:
    """The live course page behind a public URL (its id is the page's, as in the API)."""
    return get_object_or_404(CoursePage.objects.live().public().select_related("course"), pk=course_id)


@login_required
@require_POST
def register(request, course_id: int):
    page = _live_course(course_id)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte prüfen Sie Ihre Angaben."))
        return redirect(page.url)
    data = form.cleaned_data
    try:
        session = session_of_course(course=page.course, session_id=data["session"])
        registration = registration_create(
            course=page.course,
            session=session,
            user=request.user,
            with_companion=data["with_companion"],
            access_needs=data["access_needs"],
            access_needs_text=data["access_needs_text"],
        )
    except RegistrationError as error:
        messages.error(request, error.message)
        return redirect(page.url)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("Sie sind angemeldet. Die Bestätigung kommt per E-Mail."))
    else:
        messages.info(request, _("Der Kurs ist voll. Sie stehen auf der Warteliste."))
    return redirect(reverse("accounts:my_account") + "#section-academy")


def _own_registration(request, registration_id: int) -> Registration:
    return get_object_or_404(Registration.objects.select_related("course"), pk=registration_id, user=request.user)


@login_required
@require_POST
def my_registration_cancel(request, registration_id: int):
    registration = _own_registration(request, registration_id)
    try:
        registration_cancel(registration=registration)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Erledigt. Ihr Platz geht an die nächste Person."))
    return redirect(reverse("accounts:my_account") + "#section-academy")


@login_required
@require_POST
def my_registration_confirm(request, registration_id: int):
    registration = _own_registration(request, registration_id)
    try:
        registration_hold_confirm(registration=registration)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Ihr Platz ist bestätigt. Wir freuen uns auf Sie."))
    return redirect(reverse("accounts:my_account") + "#section-academy")


@personal
def registration_link(request, action: str, token: str):
    """The page behind an email link: one button, the change happens on POST."""
    if action not in ACTIONS:
        raise Http404
    registration = registration_from_token(token=token, action=action)
    if registration is None:
        return render(request, "academy/registration_link.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        try:
            if action == "cancel":
                registration_cancel(registration=registration)
            else:
                registration_hold_confirm(registration=registration)
        except RegistrationError as error:
            messages.error(request, error.message)
        else:
            done = True
        registration.refresh_from_db()
    return render(
        request, "academy/registration_link.html", {"registration": registration, "action": action, "done": done}
    )


@login_required
def certificate_download(request, registration_id: int):
    registration = _own_registration(request, registration_id)
    data = certificate_data(registration=registration)
    if data is None:
        raise Http404
    response = HttpResponse(certificate_pdf(data=data), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="teilnahmebescheinigung.pdf"'
    return response


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def course_calendar_download(request, course_id: int):
    page = _live_course(course_id)
    return _calendar_response(course_calendar(course=page.course, title=page.title), "kurs.ics")


def session_calendar_download(request, session_id: int):
    session = get_object_or_404(Session.objects.select_related("course", "location"), pk=session_id)
    if not session.course.pages.live().public().exists():
        raise Http404
    return _calendar_response(session_calendar(session=session), "termin.ics")


def feed_calendar(request):
    """Subscribable feed of every upcoming session in the German academy."""
    from wagtail.models import Locale

    cards = courses_upcoming(locale=Locale.get_active())
    sessions = [session for card in cards for session in card.sessions]
    pages = {card.page.course_id: card.page for card in cards}
    body = sessions_calendar(sessions=sessions, name=_("Digitalakademie Norderstedt"), pages=pages)
    return HttpResponse(body, content_type=CALENDAR)
