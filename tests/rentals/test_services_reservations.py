import pytest

from rentals.models import Reservation
from rentals.services.errors import ForbiddenTransition, ReservationRefused, SlotTaken
from rentals.services.reservations import reservation_cancel, reservation_create, reservation_transition
from tests.factories.rentals import ItemFactory, ItemTypeFactory, ReservationFactory, UserFactory
from tests.rentals.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_type(locales):
    item_type = ItemTypeFactory(name="Bollerwagen", slug="bollerwagen")
    ItemFactory.create_batch(2, item_type=item_type)
    return item_type


def test_reservation_gets_a_free_item_and_a_six_digit_pin(clock, item_type):
    created = reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12), user=UserFactory())
    assert created.reservation.state == Reservation.State.RESERVED
    assert len(created.pin) == 6 and created.pin.isdigit()
    assert created.reservation.pin_hash and created.pin not in created.reservation.pin_hash
    assert len(created.reservation.qr_token) >= 40


def test_two_items_are_booked_once_each_then_the_slot_is_taken_with_alternatives(clock, item_type):
    first = reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12), user=UserFactory())
    second = reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12), user=UserFactory())
    assert first.reservation.item != second.reservation.item
    with pytest.raises(SlotTaken) as refusal:
        reservation_create(item_type=item_type, starts_at=at(11, 0), ends_at=at(12), user=UserFactory())
    assert "schon vergeben" in str(refusal.value.message)
    assert refusal.value.alternatives[0] in [(at(10), at(11)), (at(12), at(13))]
    assert Reservation.objects.count() == 2


@pytest.mark.parametrize(
    ("start", "end", "words"),
    [
        (at(7), at(8), "Vergangenheit"),
        (at(8, days=-1), at(9, days=-1), "Vergangenheit"),
        (at(10), at(9), "Ende muss nach dem Beginn"),
        (at(8, days=20), at(9, days=20), "Tage im Voraus"),
        (at(19), at(21), "Ausleihe ist von 08:00 bis 20:00"),
        (at(6, days=1), at(7, days=1), "Ausleihe ist von 08:00 bis 20:00"),
        (at(11, 15), at(12, 15), "Raster"),
        (at(11), at(11, 30), "Raster"),
    ],
)
def test_bad_ranges_are_refused_with_a_clear_message_and_nothing_is_stored(clock, item_type, start, end, words):
    with pytest.raises(ReservationRefused) as refusal:
        reservation_create(item_type=item_type, starts_at=start, ends_at=end, user=UserFactory())
    assert words in str(refusal.value.message)
    assert not Reservation.objects.exists()


def test_a_range_longer_than_the_maximum_is_refused(clock, item_type):
    item_type.max_duration_minutes = 120
    item_type.save()
    with pytest.raises(ReservationRefused, match="So lange geht es nicht"):
        reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(14), user=UserFactory())


def test_the_current_slot_can_still_be_booked(clock, item_type):
    created = reservation_create(item_type=item_type, starts_at=at(9), ends_at=at(10), user=UserFactory())
    assert created.reservation.pk


def test_a_citizen_holds_at_most_two_active_reservations_per_type(clock, item_type):
    ItemFactory(item_type=item_type)
    citizen = UserFactory()
    reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12), user=citizen)
    reservation_create(item_type=item_type, starts_at=at(13), ends_at=at(14), user=citizen)
    with pytest.raises(ReservationRefused, match="2 aktive Reservierungen"):
        reservation_create(item_type=item_type, starts_at=at(15), ends_at=at(16), user=citizen)


def test_reserving_needs_an_account_or_a_caller_name(clock, item_type):
    with pytest.raises(ReservationRefused, match="melden Sie sich an"):
        reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12))
    created = reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12), caller_name="Frau Meier")
    assert created.reservation.user is None


def test_cancelling_frees_the_slot_at_once(clock, item_type):
    citizens = [UserFactory(), UserFactory()]
    created = [
        reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12), user=citizen) for citizen in citizens
    ]
    reservation_cancel(reservation=created[0].reservation)
    again = reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12), user=UserFactory())
    assert again.reservation.item == created[0].reservation.item


def test_cancelled_reservation_cannot_be_cancelled_again(clock, item_type):
    created = reservation_create(item_type=item_type, starts_at=at(11), ends_at=at(12), user=UserFactory())
    reservation_cancel(reservation=created.reservation)
    with pytest.raises(ForbiddenTransition, match="schon storniert"):
        reservation_cancel(reservation=created.reservation)


def test_an_early_return_frees_the_rest_of_the_slot(clock, item_type):
    ItemFactory.create_batch(0, item_type=item_type)
    for item in item_type.items.all():
        ReservationFactory(item=item, starts_at=at(9), ends_at=at(12), state=Reservation.State.PICKED_UP)
    with pytest.raises(SlotTaken):
        reservation_create(item_type=item_type, starts_at=at(10), ends_at=at(11), user=UserFactory())
    loan = Reservation.objects.first()
    reservation_transition(reservation=loan, to=Reservation.State.RETURNED, at=at(9, 30))
    created = reservation_create(item_type=item_type, starts_at=at(10), ends_at=at(11), user=UserFactory())
    assert created.reservation.item == loan.item


ALLOWED = {
    ("reserved", "picked_up"),
    ("reserved", "cancelled"),
    ("reserved", "no_show"),
    ("picked_up", "returned"),
    ("picked_up", "overdue"),
    ("overdue", "returned"),
}


@pytest.mark.parametrize("source", Reservation.State.values)
@pytest.mark.parametrize("target", Reservation.State.values)
def test_the_state_machine_allows_only_its_transitions(locales, source, target):
    reservation = ReservationFactory(state=source)
    if (source, target) in ALLOWED:
        reservation_transition(reservation=reservation, to=target)
        reservation.refresh_from_db()
        assert reservation.state == target
    else:
        with pytest.raises(ForbiddenTransition):
            reservation_transition(reservation=reservation, to=target)


def test_ending_a_reservation_wipes_the_readable_pin_and_ticket(locales):
    reservation = ReservationFactory()
    reservation_transition(reservation=reservation, to=Reservation.State.CANCELLED)
    reservation.refresh_from_db()
    assert reservation.pin_for_citizen == "" and reservation.qr_token is None
    assert reservation.cancelled_at is not None
