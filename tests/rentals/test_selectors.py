"""Availability as citizens see it, next to what the lockers can open right now."""

import pytest

from locker_bridge.models import Compartment, Locker
from rentals.selectors import availability_for_day, available_today, items_reachable_now
from tests.factories.rentals import ItemFactory, ItemTypeFactory, locker_with_items
from tests.rentals.conftest import NOW, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def item_type(locales):
    return ItemTypeFactory(name="Sonnenschirm", slug="sonnenschirm")


def test_items_at_an_offline_locker_or_in_an_unknown_compartment_are_not_reachable_now(clock, item_type):
    online = locker_with_items(item_type=item_type, controller_id="online-park")[0]
    offline = locker_with_items(item_type=item_type, controller_id="offline-park")[0]
    unknown = locker_with_items(item_type=item_type, controller_id="unknown-park")[0]
    counter = ItemFactory(item_type=item_type, home_compartment=None)
    Locker.objects.filter(pk=offline.home_compartment.locker_id).update(is_online=False)
    Compartment.objects.filter(pk=unknown.home_compartment_id).update(state_unknown=True)
    assert items_reachable_now(items=[online, offline, unknown, counter]) == [online, counter]


def test_a_slot_within_the_hour_counts_only_items_a_locker_can_open_now(clock, item_type, django_assert_num_queries):
    locker_with_items(item_type=item_type, controller_id="online-park")
    offline = locker_with_items(item_type=item_type, controller_id="offline-park")[0]
    Locker.objects.filter(pk=offline.home_compartment.locker_id).update(is_online=False)
    with django_assert_num_queries(7):
        today = available_today()[0]
    slots = {slot.starts_at: slot.free for slot in today.slots}
    assert today.free_now == 1  # 09:00–10:00, the one at the online locker
    assert slots[at(10)] == 1  # starts within the hour: reservation_create would refuse the offline one
    assert slots[at(11)] == 2  # later: the controller may be back by then, and PINs work offline


def test_another_day_needs_no_locker_query(clock, item_type, django_assert_num_queries):
    locker_with_items(item_type=item_type)
    with django_assert_num_queries(6):
        availability_for_day(day=at(10, days=1).date(), now=NOW)
