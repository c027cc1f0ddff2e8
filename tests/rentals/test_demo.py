import pytest

from django.db.models import Count

from accounts import demo as accounts_demo
from locker_bridge import demo as locker_demo
from rentals import demo
from rentals.models import Item, Reservation

pytestmark = pytest.mark.django_db


def test_the_stadtpark_locker_holds_twelve_items_and_seeding_twice_changes_nothing(clock, home, staff_groups):
    accounts_demo.seed(reveal_passwords=False)
    locker_demo.seed(home=home)
    demo.seed(home=home)
    demo.seed(home=home)
    counts = dict(Item.objects.values_list("item_type__slug").annotate(count=Count("pk")))
    assert counts == {"rollator": 4, "bollerwagen": 4, "picknick-set": 2, "sonnenschirm": 2}
    assert Item.objects.filter(home_compartment__locker__controller_id="stadtpark-norderstedt").count() == 12
    assert Reservation.objects.filter(starts_at__date="2026-06-10").count() == 3


def test_the_seeded_reservations_pins_reach_the_controller_once_the_periodic_job_runs(
    clock, home, staff_groups, django_capture_on_commit_callbacks
):
    from locker_bridge.models import Pin
    from locker_bridge.tasks import locker_periodic_task

    accounts_demo.seed(reveal_passwords=False)
    locker_demo.seed(home=home)
    demo.seed(home=home)  # queues the provisions before any worker runs: their tasks never ran
    pins = Pin.objects.filter(revoked_at__isnull=True)
    assert pins.count() == 3
    assert not pins.filter(applied_at__isnull=False).exists()
    clock.shift(60)  # the worker starts after the commands expired
    with django_capture_on_commit_callbacks(execute=True):
        locker_periodic_task()
    assert pins.filter(applied_at__isnull=False).count() == 3
