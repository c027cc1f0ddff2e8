"""The citizen's flow: find, reserve, open, return, cancel. Views parse, call one service or selector, render."""

import datetime
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.headers import personal
from rentals import selectors
from rentals.forms import OpenForm, ProblemReportForm, ReserveForm
from rentals.selectors.locker import reservation_locker_status
from rentals.services.confirmation import ical_bytes, qr_svg
from rentals.services.errors import RentalsError, SlotTaken
from rentals.services.locker import reservation_remote_open
from rentals.services.reservations import remote_open_allowed, reservation_cancel, reservation_create
from rentals.services.staff import reservation_problem_report


def _requested_day(request, *, horizon_days: int) -> datetime.date:
    today = timezone.localdate()
    day = parse_date(request.GET.get("tag", "") or "") or today
    return min(max(day, today), today + datetime.timedelta(days=horizon_days))


def account_section_context(*, user) -> dict:
    """Mein Konto: each current reservation with PIN, QR code, and open and cancel buttons; then the history."""
    data = selectors.reservations_for_account(user=user)
    now = timezone.now()
    data["current"] = [
        {
            "reservation": reservation,
            "qr_svg": qr_svg(reservation=reservation) if reservation.qr_token else "",
            "can_open": remote_open_allowed(reservation=reservation, now=now),
            "request_key": uuid.uuid4().hex,
        }
        for reservation in data["current"]
    ]
    return data


def index(request):
    """Every item type with what is free today ("heute verfügbar")."""
    return render(request, "rentals/index.html", {"today": selectors.available_today(), "now": timezone.now()})


def _item_type_or_404(slug: str):
    item_type = selectors.item_type_by_slug(slug=slug)
    if item_type is None:
        raise Http404
    return selectors.item_type_source(item_type=item_type)


def _day_context(request, item_type, *, day, form=None, refusal=None) -> dict:
    availability = selectors.availability_for_day(day=day, item_types=[item_type])[0]
    now = timezone.now()
    availability.slots = [slot for slot in availability.slots if slot.ends_at > now]
    today = timezone.localdate()
    return {
        "availability": availability,
        "item_type": availability.display,
        "source_type": item_type,
        "day": day,
        "days": [today + datetime.timedelta(days=offset) for offset in range(item_type.horizon_days + 1)],
        "form": form or ReserveForm(initial={"day": day, "duration_minutes": item_type.slot_minutes}),
        "refusal": refusal,
    }


def item_type_detail(request, slug: str):
    """Availability of one item type per day, with a reserve button for each free slot."""
    item_type = _item_type_or_404(slug)
    day = _requested_day(request, horizon_days=item_type.horizon_days)
    return render(request, "rentals/item_type.html", _day_context(request, item_type, day=day))


@login_required
@require_POST
def reserve(request, slug: str):
    item_type = _item_type_or_404(slug)
    form = ReserveForm(request.POST)
    if not form.is_valid():
        day = _requested_day(request, horizon_days=item_type.horizon_days)
        return render(
            request, "rentals/item_type.html", _day_context(request, item_type, day=day, form=form), status=400
        )
    starts_at, ends_at = form.range()
    try:
        created = reservation_create(item_type=item_type, starts_at=starts_at, ends_at=ends_at, user=request.user)
    except RentalsError as refusal:
        context = _day_context(request, item_type, day=form.cleaned_data["day"], form=form, refusal=refusal)
        context["alternatives"] = refusal.alternatives if isinstance(refusal, SlotTaken) else []
        return render(request, "rentals/item_type.html", context, status=409 if isinstance(refusal, SlotTaken) else 400)
    messages.success(request, _("Sie haben reserviert. Ihre PIN und den QR-Code schicken wir Ihnen auch per E-Mail."))
    return redirect("rentals:reservation_detail", pk=created.reservation.pk)


def _own_or_404(request, pk: int):
    reservation = selectors.reservation_of(user=request.user, pk=pk)
    if reservation is None:
        raise Http404
    return reservation


def _status_context(reservation, *, status_url: str) -> dict:
    return {
        "locker_status": reservation_locker_status(reservation=reservation),
        "status_url": status_url,
        "help_phone": settings.RENTALS_HELP_PHONE,
    }


def _detail_context(reservation, *, status_url: str = "") -> dict:
    now = timezone.now()
    return {
        **_status_context(reservation, status_url=status_url),
        "reservation": reservation,
        "can_open": remote_open_allowed(reservation=reservation, now=now),
        "open_form": OpenForm(initial={"request_key": uuid.uuid4().hex}),
        "problem_form": ProblemReportForm(),
        "qr_svg": qr_svg(reservation=reservation) if reservation.qr_token else "",
        "opens_from": reservation.starts_at - datetime.timedelta(minutes=15),
    }


@login_required
def reservation_detail(request, pk: int):
    reservation = _own_or_404(request, pk)
    status_url = reverse("rentals:reservation_status", args=[reservation.pk])
    return render(request, "rentals/reservation.html", _detail_context(reservation, status_url=status_url))


@login_required
def reservation_status(request, pk: int):
    """The locker status fragment the reservation page asks for while an opening or PIN is on its way."""
    reservation = _own_or_404(request, pk)
    status_url = reverse("rentals:reservation_status", args=[reservation.pk])
    return render(request, "rentals/includes/locker_status.html", _status_context(reservation, status_url=status_url))


def _after(request, reservation, action, success: str):
    try:
        action()
    except RentalsError as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, success)
    return redirect("rentals:reservation_detail", pk=reservation.pk)


@login_required
@require_POST
def reservation_open(request, pk: int):
    reservation = _own_or_404(request, pk)
    form = OpenForm(request.POST)
    key = form.cleaned_data["request_key"] if form.is_valid() else ""
    return _after(
        request,
        reservation,
        lambda: reservation_remote_open(reservation=reservation, user=request.user, request_key=key),
        _("Das Fach öffnet sich gleich. Bitte schließen Sie die Tür danach."),
    )


@login_required
@require_POST
def reservation_cancel_view(request, pk: int):
    reservation = _own_or_404(request, pk)
    return _after(
        request, reservation, lambda: reservation_cancel(reservation=reservation), _("Ihre Reservierung ist storniert.")
    )


@login_required
@require_POST
def reservation_problem(request, pk: int):
    reservation = _own_or_404(request, pk)
    form = ProblemReportForm(request.POST)
    if not form.is_valid():
        context = _detail_context(reservation, status_url=reverse("rentals:reservation_status", args=[reservation.pk]))
        context["problem_form"] = form
        return render(request, "rentals/reservation.html", context, status=400)
    return _after(
        request,
        reservation,
        lambda: reservation_problem_report(reservation=reservation, text=form.cleaned_data["text"], user=request.user),
        _("Danke für Ihre Meldung. Das Verleih-Team prüft den Gegenstand."),
    )


@login_required
def reservation_ical(request, pk: int):
    reservation = _own_or_404(request, pk)
    response = HttpResponse(ical_bytes(reservation=reservation), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="reservierung-{reservation.pk}.ics"'
    return response


@personal
def ticket(request, token: str):
    """The QR code's page: a long random token stands for the reservation (phone bookings have no account)."""
    reservation = selectors.reservation_by_ticket(token=token)
    if reservation is None:
        raise Http404
    if request.method == "POST":
        form = OpenForm(request.POST)
        key = form.cleaned_data["request_key"] if form.is_valid() else ""
        try:
            reservation_remote_open(reservation=reservation, user=None, request_key=key)
        except RentalsError as refusal:
            messages.error(request, str(refusal.message))
        else:
            messages.success(request, _("Das Fach öffnet sich gleich. Bitte schließen Sie die Tür danach."))
        return redirect("rentals:ticket", token=token)
    status_url = reverse("rentals:ticket_status", args=[token])
    return render(request, "rentals/ticket.html", _detail_context(reservation, status_url=status_url))


@personal
def ticket_status(request, token: str):
    reservation = selectors.reservation_by_ticket(token=token)
    if reservation is None:
        raise Http404
    status_url = reverse("rentals:ticket_status", args=[token])
    return render(request, "rentals/includes/locker_status.html", _status_context(reservation, status_url=status_url))
