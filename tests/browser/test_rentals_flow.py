"""The rentals flow end to end in chromium, through the simulated locker, axe on every page.

The clock is moved (ticking) to 10:50 tomorrow, so the 11:00 slot is bookable
and "Fach öffnen" is already allowed, whatever time the suite runs.
"""

import datetime
import re

import pytest

from django.core import mail

from locker_bridge.services import simulator_door_close, simulator_keypad_enter
from rentals.models import Reservation
from tests.factories.rentals import ItemTypeFactory, UserFactory, locker_with_items

pytestmark = pytest.mark.browser


def test_citizen_reserves_picks_up_returns_and_finds_it_in_the_history(portal, demo_site, morning):
    item = locker_with_items(item_type=ItemTypeFactory(name="Bollerwagen", slug="bollerwagen"))[0]
    citizen = UserFactory(email="berta@example.org")
    portal.sign_in(citizen)
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


def test_staff_book_for_a_caller_and_the_printed_sheet_shows_every_pin_digit(portal, demo_site, morning, tmp_path):
    """The A4 PDF of the PIN sheet (what staff post or hand over) holds the whole PIN and the item,
    on one page (before, the admin sidebar covered the sheet and the PDF showed one digit)."""
    import shutil
    import subprocess

    from django.contrib.auth.models import Group

    from home.services import staff_groups_ensure

    pdftotext = shutil.which("pdftotext")
    if not pdftotext:
        pytest.skip("pdftotext is not installed (apt-get install -y poppler-utils)")
    staff_groups_ensure(home=demo_site)
    locker_with_items(item_type=ItemTypeFactory(name="Rollator", slug="rollator"))
    clerk = UserFactory(username="vera", is_staff=True)
    clerk.groups.add(Group.objects.get(name="Verleih"))
    portal.sign_in(clerk)
    reservation_id = _caller_booking(portal)

    portal.goto(f"/admin/verleih/reservierungen/{reservation_id}/pin/blatt/")
    reservation = Reservation.objects.get(pk=reservation_id)
    pdf = tmp_path / "pin.pdf"
    pdf.write_bytes(portal.page.pdf(format="A4", print_background=True))
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("\f") == 1, f"the sheet takes {text.count(chr(12))} pages"
    assert reservation.pin_for_citizen in re.sub(r"\s+", "", text), text
    assert "Rollator" in text and "Frau Meier" in text and "Fach" in text


def _caller_booking(portal) -> int:
    """The clerk books 11:00 tomorrow for Frau Meier through the caller-booking form."""
    page = portal.page
    portal.goto("/admin/verleih/buchen/")
    page.get_by_label("Name").fill("Frau Meier")
    page.get_by_label("Telefon").fill("040 123456")
    page.locator("select[name=item_type]").select_option(label="Rollator")
    page.locator("input[name=day]").fill(datetime.date.today().isoformat())
    page.locator("input[name=start]").fill("11:00")
    page.get_by_label("Dauer in Minuten").fill("60")
    page.get_by_role("button", name="Buchen", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/verleih/reservierungen/\d+/pin/"))
    portal.axe(exclude=(".w-sidebar",))
    return int(re.search(r"/reservierungen/(\d+)/pin/", page.url).group(1))
