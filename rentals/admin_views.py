"""Staff tools of the Verleih team in the Wagtail admin. Server-rendered, no JavaScript framework."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rentals.forms import CallerReserveForm, ItemConditionForm, ReservationFilterForm, StaffOpenForm
from rentals.models import AccessLogEntry, Item, Reservation
from rentals.selectors import item_types_source
from rentals.selectors.staff import board_today, reservations_filtered, usage_by_week
from rentals.services.confirmation import qr_svg
from rentals.services.errors import RentalsError
from rentals.services.locker import reservation_pin_resend, staff_compartment_open
from rentals.services.reservations import reservation_cancel, reservation_create
from rentals.services.staff import item_condition_set, maintenance_block_create

STAFF_PERMISSION = "rentals.change_reservation"
staff_required = permission_required(STAFF_PERMISSION, raise_exception=True)


def _render(request, template: str, title: str, context: dict, status: int = 200):
    return render(request, template, {"page_title": title, "header_icon": "calendar", **context}, status=status)


@staff_required
def board(request):
    return _render(
        request, "rentals/admin/board.html", _("Verleih heute"), {"board": board_today(), "now": timezone.now()}
    )


@staff_required
def reservation_list(request):
    form = ReservationFilterForm(request.GET or None, item_types=item_types_source())
    filters = form.cleaned_data if form.is_valid() else {}
    page = reservations_filtered(
        state=filters.get("state", ""),
        item_type=filters.get("item_type"),
        day=filters.get("day"),
        query=filters.get("query", ""),
        page_number=request.GET.get("p", "1"),
    )
    query = request.GET.copy()
    query.pop("p", None)
    return _render(
        request,
        "rentals/admin/reservation_list.html",
        _("Reservierungen"),
        {"form": form, "page": page, "query": query.urlencode()},
    )


@staff_required
def caller_book(request):
    """Book for someone who phoned; the next page shows the PIN to read out or print."""
    form = CallerReserveForm(request.POST or None, item_types=item_types_source())
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.range()
        try:
            created = reservation_create(
                item_type=form.cleaned_data["item_type"],
                starts_at=starts_at,
                ends_at=ends_at,
                caller_name=form.cleaned_data["caller_name"],
                caller_phone=form.cleaned_data["caller_phone"],
                booked_by=request.user,
            )
        except RentalsError as refusal:
            form.add_error(None, str(refusal.message))
            for starts_at, ends_at in getattr(refusal, "alternatives", []):
                form.add_error(
                    None,
                    _("Frei wäre: %(start)s–%(end)s")
                    % {
                        "start": timezone.localtime(starts_at).strftime("%d.%m. %H:%M"),
                        "end": timezone.localtime(ends_at).strftime("%H:%M"),
                    },
                )
        else:
            return redirect("rentals_admin:print", pk=created.reservation.pk)
    return _render(request, "rentals/admin/caller_book.html", _("Für Anrufende buchen"), {"form": form})


def _printable(pk: int) -> dict:
    reservation = get_object_or_404(
        Reservation.objects.select_related("item__item_type", "item__location", "item__home_compartment"), pk=pk
    )
    return {"reservation": reservation, "qr_svg": qr_svg(reservation=reservation) if reservation.qr_token else ""}


@staff_required
def reservation_print(request, pk: int):
    return _render(request, "rentals/admin/print.html", _("PIN zum Vorlesen oder Drucken"), _printable(pk))


@staff_required
def reservation_pin_sheet(request, pk: int):
    """The sheet staff print for a caller without e-mail or smartphone: one A4 page outside the
    admin frame (whose sidebar covered the print), the PIN in large digits, the QR code."""
    return render(request, "rentals/admin/pin_sheet.html", _printable(pk))


@staff_required
@require_POST
def reservation_cancel_for_caller(request, pk: int):
    reservation = get_object_or_404(Reservation, pk=pk)
    try:
        reservation_cancel(reservation=reservation)
    except RentalsError as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("Die Reservierung ist storniert."))
    return redirect("rentals_admin:reservations")


@staff_required
def items(request):
    items = Item.objects.select_related("item_type", "home_compartment__locker").order_by(
        "item_type__sort_order", "label"
    )
    log = AccessLogEntry.objects.select_related("item", "actor").order_by("-at", "-pk")[:30]
    return _render(
        request,
        "rentals/admin/items.html",
        _("Gegenstände und Fächer"),
        {
            "items": items,
            "log": log,
            "condition_form": ItemConditionForm(),
            "open_form": StaffOpenForm(initial={"request_key": uuid.uuid4().hex}),
        },
    )


@staff_required
@require_POST
def item_condition(request):
    """Mark an item damaged or in maintenance; with an end time, also block it and cancel what it overlaps."""
    form = ItemConditionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte prüfen Sie die Angaben."))
        return redirect("rentals_admin:items")
    item = form.cleaned_data["item"]
    item_condition_set(
        item=item,
        status=form.cleaned_data["status"],
        condition=form.cleaned_data["condition"],
        note=form.cleaned_data["note"],
    )
    until = form.cleaned_data.get("maintenance_until")
    if until:
        try:
            _block, affected = maintenance_block_create(
                item=item,
                starts_at=timezone.now(),
                ends_at=until,
                reason=form.cleaned_data["note"] or _("Wartung"),
                created_by=request.user,
            )
        except RentalsError as refusal:
            messages.error(request, str(refusal.message))
            return redirect("rentals_admin:items")
        messages.info(request, _("%(count)s Reservierungen storniert und benachrichtigt.") % {"count": len(affected)})
    messages.success(request, _("Gespeichert: %(item)s.") % {"item": item})
    return redirect("rentals_admin:items")


@staff_required
@require_POST
def remote_open(request):
    form = StaffOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie einen Gegenstand und geben Sie einen Grund an."))
        return redirect("rentals_admin:items")
    try:
        staff_compartment_open(
            item=form.cleaned_data["item"],
            staff=request.user,
            reason=form.cleaned_data["reason"],
            request_key=request.POST.get("request_key", ""),
        )
    except RentalsError as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("Öffnen ist beauftragt und protokolliert."))
    return redirect("rentals_admin:items")


@staff_required
@require_POST
def pin_resend(request, pk: int):
    reservation = get_object_or_404(Reservation, pk=pk)
    if reservation_pin_resend(reservation=reservation, staff=request.user):
        messages.success(request, _("Die PIN wird erneut an die Schließfachanlage gesendet."))
    else:
        messages.info(request, _("Die Schließfachanlage hat diese PIN schon bestätigt."))
    return redirect("rentals_admin:board")


@staff_required
def usage(request):
    item_types, weeks, largest = usage_by_week()
    rows = [
        {
            "week": usage.week,
            "bars": [{"item_type": item_type, "count": usage.counts.get(item_type.pk, 0)} for item_type in item_types],
        }
        for usage in weeks
    ]
    return _render(
        request,
        "rentals/admin/usage.html",
        _("Nutzung pro Woche"),
        {"item_types": item_types, "rows": rows, "largest": largest or 1},
    )
