"""The citizen's web flow: availability, reserving, the reservation page, ownership."""

import pytest

from django.core import mail
from django.urls import reverse

from rentals.models import Reservation
from rentals.services.reservations import reservation_create
from tests.factories.rentals import ItemFactory, ItemTypeFactory, ReservationFactory, UserFactory, locker_with_items
from tests.rentals.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_type(locales):
    return ItemTypeFactory(name="Bollerwagen", slug="bollerwagen")


@pytest.fixture
def citizen(client):
    citizen = UserFactory()
    client.force_login(citizen)
    return citizen


def _reserve_data(hour=11, minutes=60):
    return {"day": at(hour).date().isoformat(), "start": f"{hour:02d}:00", "duration_minutes": minutes}


@pytest.mark.parametrize("count", [10, 100])
def test_availability_pages_keep_their_query_budget_with_10_and_100_items(
    clock, client, item_type, count, django_assert_max_num_queries
):
    other = ItemTypeFactory(name="Rollator", slug="rollator")
    for index in range(count):
        item = ItemFactory(item_type=item_type if index % 2 else other)
        ReservationFactory(item=item, starts_at=at(11), ends_at=at(12))
    # Six queries are ours (types, items, reservations, blocks, locale, translations); the rest is the
    # site chrome of base.html. The budget is the same for 10 and for 100 items.
    with django_assert_max_num_queries(22):
        response = client.get(reverse("rentals:index"))
    assert "Heute verfügbar" in response.content.decode()
    with django_assert_max_num_queries(22):
        response = client.get(reverse("rentals:item_type", args=["bollerwagen"]))
    assert response.status_code == 200


def test_the_day_view_shows_free_and_taken_slots(clock, client, item_type):
    item = ItemFactory(item_type=item_type)
    ReservationFactory(item=item, starts_at=at(11), ends_at=at(12))
    html = client.get(reverse("rentals:item_type", args=["bollerwagen"])).content.decode()
    assert "schon vergeben" in html and "12:00–13:00" in html
    assert "09:00–10:00" in html and "08:00–09:00" not in html


def test_reserving_needs_a_signed_in_citizen(clock, client, item_type):
    ItemFactory(item_type=item_type)
    response = client.post(reverse("rentals:reserve", args=["bollerwagen"]), _reserve_data())
    assert response.status_code == 302 and "/konto/" in response.url
    assert not Reservation.objects.exists()


def test_reserving_confirms_by_email_with_pin_qr_code_and_ical(clock, client, citizen, item_type, committed):
    locker_with_items(item_type=item_type)
    response = committed(client.post, reverse("rentals:reserve", args=["bollerwagen"]), _reserve_data())
    reservation = Reservation.objects.get()
    assert response.status_code == 302 and response.url == reverse("rentals:reservation_detail", args=[reservation.pk])
    page = client.get(response.url).content.decode()
    assert reservation.pin_for_citizen in page and "<svg" in page
    message = next(message for message in mail.outbox if message.to == [citizen.email])
    assert reservation.pin_for_citizen in message.body
    attachments = {name: content_type for name, _content, content_type in message.attachments}
    assert attachments == {"reservierung.ics": "text/calendar", "qr-code.png": "image/png"}
    assert (
        b"BEGIN:VEVENT" in message.attachments[0][1].encode()
        if isinstance(message.attachments[0][1], str)
        else b"BEGIN:VEVENT" in message.attachments[0][1]
    )
    ical = client.get(reverse("rentals:reservation_ical", args=[reservation.pk]))
    assert ical["Content-Type"].startswith("text/calendar") and b"DTSTART" in ical.content


def test_a_taken_slot_says_schon_vergeben_and_offers_alternatives(clock, client, citizen, item_type):
    item = ItemFactory(item_type=item_type)
    ReservationFactory(item=item, starts_at=at(11), ends_at=at(12))
    response = client.post(reverse("rentals:reserve", args=["bollerwagen"]), _reserve_data())
    html = response.content.decode()
    assert response.status_code == 409
    assert "schon vergeben" in html and "Diese Zeiten sind noch frei" in html and "12:00–13:00" in html


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_reserve_data(hour=8), "Vergangenheit"),
        (_reserve_data(minutes=30 * 60), "So lange geht es nicht"),
        (_reserve_data(hour=19, minutes=120), "Ausleihe ist von 08:00 bis 20:00"),
        ({"day": "kein-Tag", "start": "11:00", "duration_minutes": 60}, "gültiges Datum"),
    ],
)
def test_bad_input_gets_a_clear_message_and_stores_nothing(clock, client, citizen, item_type, data, words):
    ItemFactory(item_type=item_type)
    response = client.post(reverse("rentals:reserve", args=["bollerwagen"]), data)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Reservation.objects.exists()


def test_someone_elses_reservation_is_not_found_on_every_page(clock, client, citizen, item_type):
    theirs = ReservationFactory(item=ItemFactory(item_type=item_type))
    for name in ("reservation_detail", "reservation_ical"):
        assert client.get(reverse(f"rentals:{name}", args=[theirs.pk])).status_code == 404
    for name in ("reservation_open", "reservation_cancel", "reservation_problem"):
        assert client.post(reverse(f"rentals:{name}", args=[theirs.pk]), {"text": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == Reservation.State.RESERVED and theirs.problem_report == ""


def test_cancel_and_a_second_cancel_are_answered_clearly(clock, client, citizen, item_type):
    ItemFactory(item_type=item_type)
    reservation = reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12), user=citizen).reservation
    url = reverse("rentals:reservation_cancel", args=[reservation.pk])
    client.post(url)
    response = client.post(url, follow=True)
    assert "schon storniert" in response.content.decode()
    reservation.refresh_from_db()
    assert reservation.state == Reservation.State.CANCELLED


def test_the_open_button_appears_only_in_the_window(clock, client, citizen, item_type):
    locker_with_items(item_type=item_type)
    reservation = reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12), user=citizen).reservation
    url = reverse("rentals:reservation_detail", args=[reservation.pk])
    open_url = reverse("rentals:reservation_open", args=[reservation.pk])
    assert open_url not in client.get(url).content.decode()
    response = client.post(reverse("rentals:reservation_open", args=[reservation.pk]), follow=True)
    assert "15 Minuten vor Beginn" in response.content.decode()
    clock.move_to(at(10, 45))
    assert open_url in client.get(url).content.decode()


def test_mein_konto_lists_current_reservations_with_pin_and_the_history(clock, client, citizen, item_type):
    item = ItemFactory(item_type=item_type)
    current = ReservationFactory(item=item, user=citizen, pin_for_citizen="424242")
    ReservationFactory(item=item, user=citizen, starts_at=at(8, days=-3), ends_at=at(9, days=-3), state="returned")
    html = client.get(reverse("accounts:my_account")).content.decode()
    assert "Meine Reservierungen" in html and "424242" in html and "Verlauf" in html
    assert reverse("rentals:reservation_detail", args=[current.pk]) in html
    assert "<svg" in html and reverse("rentals:reservation_cancel", args=[current.pk]) in html
    assert reverse("rentals:reservation_open", args=[current.pk]) not in html
    clock.move_to(at(9, 50))
    html = client.get(reverse("accounts:my_account")).content.decode()
    assert reverse("rentals:reservation_open", args=[current.pk]) in html


def test_the_ticket_link_from_the_qr_code_shows_the_reservation_without_an_account(clock, client, item_type):
    ItemFactory(item_type=item_type)
    reservation = reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12), caller_name="Herr Olsen")
    response = client.get(reverse("rentals:ticket", args=[reservation.reservation.qr_token]))
    assert response.status_code == 200 and "Bollerwagen" in response.content.decode()
    assert client.get(reverse("rentals:ticket", args=["erraten"])).status_code == 404


def test_an_opening_that_fails_tells_the_citizen_what_to_do_live_and_after_a_reload(
    clock, client, citizen, item_type, committed
):
    from locker_bridge import services as locker_services

    item = locker_with_items(item_type=item_type)[0]
    reservation = committed(
        reservation_create, item_type=item_type, starts_at=at(9), ends_at=at(12), user=citizen
    ).reservation
    locker_services.simulator_jam(compartment=item.home_compartment, jammed=True)
    committed(client.post, reverse("rentals:reservation_open", args=[reservation.pk]), {"request_key": "k1"})
    page = client.get(reverse("rentals:reservation_detail", args=[reservation.pk])).content.decode()
    assert "Das Fach hat sich nicht geöffnet." in page
    assert "Bürgertelefon" in page and "Tastenfeld" in page
    fragment = client.get(reverse("rentals:reservation_status", args=[reservation.pk])).content.decode()
    assert "Das Fach hat sich nicht geöffnet." in fragment
    assert 'id="locker-status"' in fragment


def test_an_opening_on_its_way_is_shown_and_polled(clock, client, citizen, item_type, committed):
    from locker_bridge import services as locker_services

    item = locker_with_items(item_type=item_type)[0]
    reservation = committed(
        reservation_create, item_type=item_type, starts_at=at(9), ends_at=at(12), user=citizen
    ).reservation
    locker_services.simulator_acks_set(locker=item.home_compartment.locker, drop=True)
    committed(client.post, reverse("rentals:reservation_open", args=[reservation.pk]), {"request_key": "k2"})
    page = client.get(reverse("rentals:reservation_detail", args=[reservation.pk])).content.decode()
    assert "Das Fach öffnet sich gleich" in page
    assert reverse("rentals:reservation_status", args=[reservation.pk]) in page  # the page asks again


def test_a_pin_not_yet_on_the_locker_says_so_until_the_locker_confirms(clock, client, citizen, item_type, committed):
    from locker_bridge import services as locker_services

    item = locker_with_items(item_type=item_type)[0]
    locker = item.home_compartment.locker
    locker_services.simulator_offline_set(locker=locker, offline=True)
    reservation = committed(
        reservation_create, item_type=item_type, starts_at=at(11), ends_at=at(12), user=citizen
    ).reservation
    url = reverse("rentals:reservation_detail", args=[reservation.pk])
    assert "PIN wird noch übertragen" in client.get(url).content.decode()
    committed(locker_services.simulator_offline_set, locker=locker, offline=False)
    assert "PIN wird noch übertragen" not in client.get(url).content.decode()
