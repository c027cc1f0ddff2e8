"""The "Schließfach-Simulator" page (dev and demo only): drive the simulated driver in the browser.

Routed only when ``settings.LOCKER_SIMULATOR_PAGE`` is True (dev and test
settings; never in production). Plain forms, post/redirect/get, no JavaScript.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from locker_bridge import selectors, services
from locker_bridge.models import Compartment, Locker


def simulator(request):
    return render(
        request,
        "locker_bridge/simulator.html",
        {"overview": selectors.simulator_overview(), "simulated": settings.LOCKER_DRIVER == "simulated"},
    )


def _keypad(request):
    locker = get_object_or_404(Locker, pk=request.POST.get("locker"))
    number = services.simulator_keypad_enter(locker=locker, pin=request.POST.get("pin", "").strip())
    if number is None:
        messages.error(request, _("Die PIN passt zu keinem Fach. Bitte prüfen Sie die Ziffern."))
    else:
        messages.success(request, _("Fach %(number)s ist offen.") % {"number": number})


def _compartment(request) -> Compartment:
    return get_object_or_404(Compartment, pk=request.POST.get("compartment"))


def _door_open(request):
    services.simulator_door_open(compartment=_compartment(request))


def _door_close(request):
    services.simulator_door_close(compartment=_compartment(request), occupied=request.POST.get("occupied") == "1")


def _jam(request):
    services.simulator_jam(compartment=_compartment(request), jammed=request.POST.get("jammed") == "1")


def _offline(request):
    locker = get_object_or_404(Locker, pk=request.POST.get("locker"))
    services.simulator_offline_set(locker=locker, offline=request.POST.get("offline") == "1")


def _acks(request):
    locker = get_object_or_404(Locker, pk=request.POST.get("locker"))
    mode = request.POST.get("mode", "")
    if mode == "release":
        services.simulator_acks_release(locker=locker)
    else:
        services.simulator_acks_set(locker=locker, drop=mode == "drop", delay=mode == "delay")


ACTIONS = {
    "keypad": _keypad,
    "door_open": _door_open,
    "door_close": _door_close,
    "jam": _jam,
    "offline": _offline,
    "acks": _acks,
}


@require_POST
def simulator_action(request):
    action = ACTIONS.get(request.POST.get("action", ""))
    if action is None or settings.LOCKER_DRIVER != "simulated":
        messages.error(request, _("Diese Aktion gibt es hier nicht."))
    else:
        action(request)
    return redirect("locker_bridge:simulator")
