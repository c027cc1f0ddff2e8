"""Staff tools for the Verleih group in the Wagtail admin."""

import pytest

from django.contrib.auth.models import Group
from django.urls import reverse

from rentals.models import AccessLogEntry, Item, Reservation
from tests.factories.rentals import ItemFactory, ItemTypeFactory, ReservationFactory, UserFactory, locker_with_items
from tests.rentals.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_type(locales):
    return ItemTypeFactory(name="Rollator", slug="rollator")


@pytest.fixture
def staff(client, staff_groups):
    person = UserFactory(username="volker", is_staff=True)
    person.groups.add(Group.objects.get(name="Verleih"))
    client.force_login(person)
    return person


def test_a_citizen_without_the_verleih_group_cannot_see_the_staff_tools(client, locales):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("rentals_admin:board")).status_code in (302, 403)


def test_the_board_shows_what_is_due_out_overdue_and_offline_compartments(clock, client, staff, item_type):
    items = locker_with_items(item_type=item_type, count=3)
    ReservationFactory(item=items[0], starts_at=at(11), ends_at=at(12), caller_name="Frau Abholung", user=None)
    ReservationFactory(
        item=items[1], starts_at=at(9), ends_at=at(12), state="picked_up", caller_name="Herr Unterwegs", user=None
    )
    ReservationFactory(
        item=items[2], starts_at=at(7), ends_at=at(8), state="overdue", caller_name="Frau Spät", user=None
    )
    locker = items[0].home_compartment.locker
    locker.is_online = False
    locker.save()
    html = client.get(reverse("rentals_admin:board")).content.decode()
    for words in ("Frau Abholung", "Herr Unterwegs", "Frau Spät", "Anlage nicht erreichbar"):
        assert words in html


def test_the_list_filters_by_state_type_day_and_name(clock, client, staff, item_type):
    item = ItemFactory(item_type=item_type)
    ReservationFactory(item=item, caller_name="Frau Meier", user=None, state="cancelled")
    ReservationFactory(item=item, caller_name="Herr Olsen", user=None, starts_at=at(14), ends_at=at(15))
    url = reverse("rentals_admin:reservations")
    assert "Herr Olsen" not in client.get(url, {"state": "cancelled"}).content.decode()
    html = client.get(
        url, {"query": "olsen", "day": at(14).date().isoformat(), "item_type": item_type.pk}
    ).content.decode()
    assert "Herr Olsen" in html and "Frau Meier" not in html


def test_booking_for_a_caller_shows_a_printable_pin(clock, client, staff, item_type):
    ItemFactory(item_type=item_type)
    response = client.post(
        reverse("rentals_admin:book"),
        {
            "item_type": item_type.pk,
            "caller_name": "Frau Meier",
            "caller_phone": "040 123456",
            "day": at(11).date().isoformat(),
            "start": "11:00",
            "duration_minutes": 60,
        },
        follow=True,
    )
    reservation = Reservation.objects.get()
    assert reservation.caller_name == "Frau Meier" and reservation.booked_by == staff and reservation.user is None
    html = response.content.decode()
    assert reservation.pin_for_citizen in html and "Blatt zum Drucken öffnen" in html

    sheet = client.get(reverse("rentals_admin:pin_sheet", args=[reservation.pk])).content.decode()
    digits = "".join(f"<span>{digit}</span>" for digit in reservation.pin_for_citizen)
    assert digits in sheet
    assert "Für: Frau Meier" in sheet and "Rollator" in sheet and "<svg" in sheet
    assert "w-sidebar" not in sheet and "data-side-panel" not in sheet  # outside the admin frame


def test_the_pin_sheet_of_a_cancelled_reservation_shows_no_pin(clock, client, staff, item_type):
    reservation = ReservationFactory(item=ItemFactory(item_type=item_type), state="cancelled", pin_for_citizen="")
    sheet = client.get(reverse("rentals_admin:pin_sheet", args=[reservation.pk])).content.decode()
    assert "Es gibt keine gültige PIN" in sheet and 'class="pin"' not in sheet


def test_only_verleih_staff_open_the_pin_sheet(client, locales, item_type):
    reservation = ReservationFactory(item=ItemFactory(item_type=item_type))
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("rentals_admin:pin_sheet", args=[reservation.pk])).status_code in (302, 403)


def test_marking_maintenance_with_an_end_cancels_overlapping_reservations(clock, client, staff, item_type):
    item = ItemFactory(item_type=item_type)
    hit = ReservationFactory(item=item, starts_at=at(11), ends_at=at(12))
    client.post(
        reverse("rentals_admin:condition"),
        {
            "item": item.pk,
            "status": "maintenance",
            "condition": "damaged",
            "note": "Bremse",
            "maintenance_until": at(18).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    item.refresh_from_db()
    hit.refresh_from_db()
    assert (item.status, item.condition) == (Item.Status.MAINTENANCE, Item.Condition.DAMAGED)
    assert hit.state == Reservation.State.CANCELLED


def test_remote_open_by_staff_logs_the_reason(clock, client, staff, item_type, committed):
    item = locker_with_items(item_type=item_type)[0]
    committed(client.post, reverse("rentals_admin:open"), {"item": item.pk, "reason": "PIN vergessen, Ausweis geprüft"})
    entry = AccessLogEntry.objects.get(kind="remote_open")
    assert entry.actor == staff and entry.reason == "PIN vergessen, Ausweis geprüft"
    response = client.post(reverse("rentals_admin:open"), {"item": item.pk, "reason": ""}, follow=True)
    assert "Grund" in response.content.decode() and AccessLogEntry.objects.filter(kind="remote_open").count() == 1


def test_weekly_usage_chart_counts_loans_per_type(clock, client, staff, item_type):
    item = ItemFactory(item_type=item_type)
    ReservationFactory(item=item, starts_at=at(10, days=-7), ends_at=at(11, days=-7), state="returned")
    ReservationFactory(item=item, starts_at=at(12, days=-7), ends_at=at(13, days=-7), state="returned")
    ReservationFactory(item=item, starts_at=at(14, days=-7), ends_at=at(15, days=-7), state="cancelled")
    html = client.get(reverse("rentals_admin:usage")).content.decode()
    assert "Rollator" in html and 'class="bar"' in html and "> 2</td>" in html


def test_the_board_lists_unconfirmed_pins_with_a_resend_and_failed_openings(clock, client, staff, item_type, committed):
    from locker_bridge import services as locker_services
    from locker_bridge.selectors import pin_state
    from rentals.services.locker import reservation_remote_open
    from rentals.services.reservations import reservation_create

    items = locker_with_items(item_type=item_type, count=2)
    locker = items[0].home_compartment.locker
    citizen = UserFactory()
    opened = committed(reservation_create, item_type=item_type, starts_at=at(9), ends_at=at(12), user=citizen)
    locker_services.simulator_jam(compartment=opened.reservation.item.home_compartment, jammed=True)
    committed(reservation_remote_open, reservation=opened.reservation, user=citizen, request_key="jam")
    locker_services.simulator_acks_set(locker=locker, drop=True)
    pending = committed(reservation_create, item_type=item_type, starts_at=at(11), ends_at=at(12), user=citizen)
    reference = f"{pending.reservation.reference}-pin"
    assert pin_state(reference=reference) == "pending"
    html = client.get(reverse("rentals_admin:board")).content.decode()
    assert "Öffnen fehlgeschlagen (1)" in html and "Schloss hat nicht ausgelöst" in html
    assert "PIN noch nicht auf der Anlage (1)" in html
    resend_url = reverse("rentals_admin:pin_resend", args=[pending.reservation.pk])
    assert resend_url in html
    locker_services.simulator_acks_set(locker=locker, drop=False)
    committed(client.post, resend_url)
    assert pin_state(reference=reference) == "confirmed"
    entry = AccessLogEntry.objects.filter(kind="pin_provisioned", actor=staff).get()
    assert entry.reservation == pending.reservation
    assert "PIN noch nicht auf der Anlage (0)" in client.get(reverse("rentals_admin:board")).content.decode()
