"""The Schließfach-Simulator page in chromium: PIN on the keypad, take the item, put it back."""

from datetime import timedelta

import pytest

from django.utils import timezone

from locker_bridge import services
from locker_bridge.models import Command, Compartment
from tests.factories.locker_bridge import LockerFactory

pytestmark = pytest.mark.browser


def test_citizen_opens_a_compartment_with_a_pin_and_returns_the_item(portal):
    locker = LockerFactory(controller_id="stadtpark-browser", location_label="Stadtpark Norderstedt")
    services.compartments_ensure(locker=locker, count=3)
    compartment = locker.compartments.get(number=2)
    services.simulator_door_open(compartment=compartment)
    services.simulator_door_close(compartment=compartment, occupied=True)
    now = timezone.now()
    command = services.pin_provision(
        compartment=compartment, pin="583920", valid_from=now, valid_until=now + timedelta(hours=2), reference="b-1"
    )
    command.refresh_from_db()
    assert command.state == Command.State.APPLIED

    page = portal.page
    portal.goto("/de/schliessfach/simulator/")
    assert page.locator("h1").inner_text() == "Schließfach-Simulator"
    page.get_by_label("PIN am Tastenfeld").fill("583920")
    page.get_by_role("button", name="PIN eingeben").click()
    portal.axe()
    assert "Fach 2 ist offen." in page.locator("main").inner_text()

    page.get_by_role("button", name="Fach 2 leer schließen").click()
    portal.axe()
    compartment.refresh_from_db()
    assert compartment.door_state == Compartment.Door.CLOSED and not compartment.is_occupied

    page.get_by_label("PIN am Tastenfeld").fill("583920")
    page.get_by_role("button", name="PIN eingeben").click()
    portal.axe()
    page.get_by_role("button", name="Fach 2 mit Gegenstand schließen").click()
    portal.axe()
    compartment.refresh_from_db()
    assert compartment.is_occupied

    page.get_by_label("PIN am Tastenfeld").fill("111111")
    page.get_by_role("button", name="PIN eingeben").click()
    portal.axe()
    assert "Bitte prüfen Sie die Ziffern" in page.locator("main").inner_text()
