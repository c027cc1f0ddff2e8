"""The trainers' area in the Wagtail admin: sessions, participants, check-in, messages.

Every object is looked up through ``selectors.courses_for_staff`` /
``sessions_for_staff``: a trainer asking for another trainer's course, session or
participant gets 404, and a staff member who is neither trainer nor Redaktion 403.
"""

from functools import wraps

from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from academy.forms import BroadcastForm, PhoneRegistrationForm, SessionCancelForm, SessionForm
from academy.models import CourseFormat, Registration, Session
from academy.selectors import (
    call_list,
    courses_for_staff,
    session_participant_list,
    sessions_for_staff,
    staff_manages_all,
)
from academy.services import registrations as registration_services
from academy.services import sessions as session_services
from academy.services.registrations import RegistrationError, registration_create


def academy_staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if not (staff_manages_all(user=user) or user.groups.filter(name="Trainer").exists()):
            return HttpResponseForbidden(_("Dieser Bereich ist für Kursleitungen und die Redaktion."))
        return view(request, *args, **kwargs)

    return wrapper


def _session(request, session_id: int) -> Session:
    return get_object_or_404(sessions_for_staff(user=request.user), pk=session_id)


def _render(request, template: str, title: str, **context):
    return render(request, f"academy/admin/{template}", {"page_title": title, "header_icon": "date", **context})


@academy_staff_required
def sessions(request):
    return _render(
        request,
        "sessions.html",
        _("Kurstermine"),
        sessions=sessions_for_staff(user=request.user, upcoming_only=True),
        courses=courses_for_staff(user=request.user),
        open_calls=call_list(user=request.user).count(),
    )


@academy_staff_required
def session_detail(request, session_id: int):
    session = _session(request, session_id)
    return _render(
        request,
        "session_detail.html",
        str(session),
        session=session,
        participants=session_participant_list(session=session),
    )


@academy_staff_required
def session_checkin(request, session_id: int):
    session = _session(request, session_id)
    if request.method == "POST":
        registration = get_object_or_404(
            session_services.session_participants(session=session), pk=request.POST.get("registration")
        )
        try:
            session_services.attendance_record(
                session=session,
                registration=registration,
                present=request.POST.get("present") == "1",
                recorded_by=request.user,
            )
        except RegistrationError as error:
            messages.error(request, error.message)
        return redirect("academy_admin:session_checkin", session_id=session.pk)
    participants = [
        registration
        for registration in session_participant_list(session=session)
        if registration.status == Registration.Status.CONFIRMED
    ]
    return _render(request, "session_checkin.html", _("Anwesenheit"), session=session, participants=participants)


@academy_staff_required
def session_cancel(request, session_id: int):
    session = _session(request, session_id)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session_services.session_cancel(session=session, message=form.cleaned_data["message"])
        messages.success(request, _("Der Termin ist abgesagt. Alle Teilnehmenden werden benachrichtigt."))
        return redirect("academy_admin:session_detail", session_id=session.pk)
    return _render(request, "form.html", _("Termin absagen"), session=session, form=form, submit=_("Termin absagen"))


@academy_staff_required
def session_message(request, session_id: int):
    session = _session(request, session_id)
    form = BroadcastForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = session_services.participants_message(session=session, **form.cleaned_data)
        messages.success(request, _("Die Nachricht geht an %(count)s Teilnehmende.") % {"count": count})
        return redirect("academy_admin:session_detail", session_id=session.pk)
    return _render(
        request, "form.html", _("Nachricht an alle Teilnehmenden"), session=session, form=form, submit=_("Senden")
    )


def _session_form_save(request, form, course, session=None):
    try:
        return session_services.session_save(
            course=course,
            session=session,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            location_id=form.cleaned_data["location"].pk,
            capacity=form.cleaned_data["capacity"],
        )
    except RegistrationError as error:
        form.add_error(None, error.message)
        return None


@academy_staff_required
def session_create(request, course_id: int):
    course = get_object_or_404(courses_for_staff(user=request.user), pk=course_id)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = _session_form_save(request, form, course)
        if session is not None:
            messages.success(request, _("Der Termin ist angelegt."))
            return redirect("academy_admin:session_detail", session_id=session.pk)
    return _render(
        request, "form.html", _("Neuer Termin: %(course)s") % {"course": course.title}, form=form, submit=_("Speichern")
    )


@academy_staff_required
def session_edit(request, session_id: int):
    session = _session(request, session_id)
    form = SessionForm.for_session(session, request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = _session_form_save(request, form, session.course, session)
        if saved is not None:
            messages.success(request, _("Der Termin ist gespeichert."))
            return redirect("academy_admin:session_detail", session_id=session.pk)
    return _render(request, "form.html", _("Termin bearbeiten"), session=session, form=form, submit=_("Speichern"))


@academy_staff_required
def phone_registration(request, course_id: int):
    """Staff register a caller who has no account: name plus phone or email, and a note."""
    course = get_object_or_404(courses_for_staff(user=request.user), pk=course_id)
    form = PhoneRegistrationForm(request.POST or None)
    session_choices = list(Session.objects.filter(course=course, status=Session.Status.SCHEDULED).order_by("start"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        session = None
        if course.format != CourseFormat.SERIES:
            session = next((item for item in session_choices if item.pk == data["session"]), None)
        try:
            registration = registration_create(
                course=course,
                session=session,
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                note=data["note"],
                registered_by=request.user,
                with_companion=data["with_companion"],
                access_needs=data["access_needs"],
                access_needs_text=data["access_needs_text"],
            )
        except RegistrationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Angemeldet: %(status)s.") % {"status": registration.get_status_display()})
            return redirect("academy_admin:sessions")
    return _render(
        request,
        "phone_registration.html",
        _("Telefonische Anmeldung: %(course)s") % {"course": course.title},
        course=course,
        form=form,
        session_choices=session_choices if course.format != CourseFormat.SERIES else [],
    )


def _registration_action(request, registration_id: int, action, done: str):
    registration = get_object_or_404(
        Registration.objects.filter(course__in=courses_for_staff(user=request.user)), pk=registration_id
    )
    try:
        action(registration=registration)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    next_url = request.POST.get("next", "")
    return redirect(next_url if next_url.startswith("/admin/") else "academy_admin:sessions")


@academy_staff_required
@require_POST
def registration_cancel(request, registration_id: int):
    return _registration_action(
        request, registration_id, registration_services.registration_cancel, _("Die Anmeldung ist abgesagt.")
    )


@academy_staff_required
@require_POST
def registration_confirm(request, registration_id: int):
    """A caller accepted a held place on the phone."""
    return _registration_action(
        request, registration_id, registration_services.registration_hold_confirm, _("Der Platz ist bestätigt.")
    )


@academy_staff_required
def calls(request):
    if request.method == "POST":
        message = get_object_or_404(call_list(user=request.user), pk=request.POST.get("message"))
        session_services.call_done(message=message, by=request.user)
        return redirect("academy_admin:calls")
    return _render(request, "calls.html", _("Anrufliste"), calls=call_list(user=request.user))
