"""The rentals flow end to end in chromium, through the simulated locker, axe on every page.

The clock is moved (ticking) to 10:50 tomorrow, so the 11:00 slot is bookable
and "Fach öffnen" is already allowed, whatever time the suite runs.
"""

import datetime
import re
import zoneinfo

import pytest
import time_machine

from django.conf import settings
from django.core import mail
from django.test import Client

from locker_bridge.services import simulator_door_close, simulator_keypad_enter
from rentals.models import Reservation
from tests.factories.rentals import ItemTypeFactory, UserFactory, locker_with_items

pytestmark = pytest.mark.browser


@pytest.fixture
def morning():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    tomorrow = datetime.datetime.now(berlin).date() + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(tomorrow, datetime.time(10, 50), tzinfo=berlin), tick=True):
        yield


def _sign_in(portal, citizen) -> None:
    client = Client()
    client.force_login(citizen)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    portal.page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": portal.base_url}])


def test_citizen_reserves_picks_up_returns_and_finds_it_in_the_history(portal, demo_site, morning):
    item = locker_with_items(item_type=ItemTypeFactory(name="Bollerwagen", slug="bollerwagen"))[0]
    citizen = UserFactory(email="berta@example.org")
    _sign_in(portal, citizen)
    page = portal.page

    portal.goto("/de/verleih/")
    assert page.locator("h1").inner_text() == "Ausleihen im Stadtpark"
    assert "Heute verfügbar" in page.locator("main").inner_text()
    page.get_by_role("link", name="Zeiten für Bollerwagen ansehen").click()
    portal.axe()

    page.get_by_role("button", name="11:00 Uhr reservieren").click()
    page.wait_for_url(re.compile(r"/de/verleih/reservierung/\d+/"))
    portal.axe()
    pin = page.locator(".pin").inner_text().strip()
    assert re.fullmatch(r"\d{6}", pin)
    confirmation = next(message for message in mail.outbox if message.to == ["berta@example.org"])
    assert pin in confirmation.body and len(confirmation.attachments) == 2

    page.get_by_role("button", name="Fach öffnen").click()
    portal.axe()
    assert "Das Fach öffnet sich gleich" in page.locator("main").inner_text()
    assert "abgeholt" in page.locator("main").inner_text()
    simulator_door_close(compartment=item.home_compartment, occupied=False)

    assert simulator_keypad_enter(locker=item.home_compartment.locker, pin=pin) == 1
    simulator_door_close(compartment=item.home_compartment, occupied=True)
    reservation = Reservation.objects.get()
    assert reservation.state == Reservation.State.RETURNED and reservation.returned_at is not None

    page.reload()
    portal.axe()
    page.get_by_label("Was ist nicht in Ordnung?").fill("Ein Rad quietscht.")
    page.get_by_role("button", name="Problem melden").click()
    portal.axe()
    assert "Danke für Ihre Meldung" in page.locator("main").inner_text()

    page.get_by_role("link", name="Zu Mein Konto").click()
    portal.axe()
    history = page.locator("#section-rentals").locator("..").inner_text()
    assert "Verlauf" in history and "zurückgegeben" in history
