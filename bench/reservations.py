"""Reservations per second with one and with two worker processes, and the contended case.

Run ``DATABASE_URL=postgres://… python -m bench.reservations``. It migrates the
database it is given, books across many different items (no contention), so
two processes should nearly double the rate if nothing global serialises
bookings; then many processes race for one item, where exactly one may win.
It measures the booking transaction itself: locker commands go out
asynchronously in production, so the items here have no compartment.
One and two workers alternate for a few rounds and the best rate of each
counts (the machine may be shared). The last line printed is one JSON object.
"""

import datetime
import json
import multiprocessing
import os
import sys
import time
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

BOOKINGS_PER_WORKER = int(os.environ.get("BENCH_BOOKINGS", "200"))
# The machine is shared: one and two workers run alternately this many times and the best
# rate of each counts, which filters out rounds where other processes took the cores.
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONTENDERS = 16
HOURS_PER_DAY = 12  # 8–20 Uhr in one-hour slots


def _django():
    import django

    django.setup()


def _slot(index: int, *, first_day: datetime.date):
    from django.utils import timezone

    day = first_day + datetime.timedelta(days=index // HOURS_PER_DAY % 13)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8 + index % HOURS_PER_DAY)))
    return start, start + datetime.timedelta(hours=1)


def _book(type_pk: int, worker: int, count: int, first_day: datetime.date, start_event, results) -> None:
    """One worker books ``count`` reservations, each for its own item type's free slots."""
    _django()
    from django.db import connection

    from rentals.models import ItemType
    from rentals.services.reservations import reservation_create

    item_type = ItemType.objects.get(pk=type_pk)
    start_event.wait()
    started = time.perf_counter()
    for index in range(count):
        starts_at, ends_at = _slot(index, first_day=first_day)
        reservation_create(
            item_type=item_type, starts_at=starts_at, ends_at=ends_at, caller_name=f"Bench {worker}-{index}"
        )
    results.put(time.perf_counter() - started)
    connection.close()


def _contend(type_pk: int, first_day: datetime.date, barrier, results) -> None:
    _django()
    from django.db import connection

    from rentals.models import ItemType
    from rentals.services.errors import SlotTaken
    from rentals.services.reservations import reservation_create

    item_type = ItemType.objects.get(pk=type_pk)
    starts_at, ends_at = _slot(0, first_day=first_day)
    barrier.wait()
    try:
        reservation_create(item_type=item_type, starts_at=starts_at, ends_at=ends_at, caller_name="Bench race")
        results.put(1)
    except SlotTaken:
        results.put(0)
    finally:
        connection.close()


def _item_type(label: str, items: int) -> int:
    from wagtail.models import Locale

    from rentals.models import Item, ItemType, Location

    location, _created = Location.objects.get_or_create(name="Bench", defaults={"address": "Bench"})
    item_type = ItemType.objects.create(
        name=f"Bench {label}",
        slug=f"bench-{uuid.uuid4().hex[:12]}",
        locale=Locale.objects.get(language_code="de"),
    )
    Item.objects.bulk_create(Item(item_type=item_type, location=location, label=f"{label} {n}") for n in range(items))
    return item_type.pk


def _run(target, argument_sets) -> list:
    from django.db import connections

    connections.close_all()
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    start_event = context.Event()
    processes = [context.Process(target=target, args=(*arguments, start_event, results)) for arguments in argument_sets]
    for process in processes:
        process.start()
    time.sleep(1)  # let every worker import Django before the clock starts
    start_event.set()
    wall = time.perf_counter()
    collected = [results.get(timeout=600) for _ in processes]
    wall = time.perf_counter() - wall
    for process in processes:
        process.join()
    return [wall, *collected]


def _double_booked() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM rentals_reservation a JOIN rentals_reservation b "
            "ON a.item_id = b.item_id AND a.id < b.id AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at "
            "WHERE a.state IN ('reserved', 'picked_up', 'overdue') AND b.state IN ('reserved', 'picked_up', 'overdue')"
        )
        return cursor.fetchone()[0]


def _contended(first_day: datetime.date) -> int:
    from django.db import connections

    type_pk = _item_type("contended", 1)
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(CONTENDERS), context.Queue()
    processes = [
        context.Process(target=_contend, args=(type_pk, first_day, barrier, results)) for _ in range(CONTENDERS)
    ]
    for process in processes:
        process.start()
    successes = sum(results.get(timeout=600) for _ in processes)
    for process in processes:
        process.join()
    return successes


def _clean_up() -> None:
    from rentals.models import Item, ItemType, Location, Reservation

    Reservation.objects.filter(item__item_type__slug__startswith="bench-").delete()
    Item.objects.filter(item_type__slug__startswith="bench-").delete()
    ItemType.objects.filter(slug__startswith="bench-").delete()
    Location.objects.filter(name="Bench").delete()


def main() -> dict:
    _django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    if connection.vendor != "postgresql":
        print("bench.reservations needs PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)  # noqa: T201
    call_command("migrate", verbosity=0)
    _clean_up()
    first_day = timezone.localdate() + datetime.timedelta(days=1)
    items_needed = BOOKINGS_PER_WORKER // (HOURS_PER_DAY * 13) + 1

    one_rates, two_rates = [], []
    for round_number in range(ROUNDS):
        one = _run(_book, [(_item_type(f"one-{round_number}", items_needed), 0, BOOKINGS_PER_WORKER, first_day)])
        one_rates.append(BOOKINGS_PER_WORKER / one[0])
        two = _run(
            _book,
            [
                (_item_type(f"two-{round_number}-{worker}", items_needed), worker, BOOKINGS_PER_WORKER, first_day)
                for worker in (1, 2)
            ],
        )
        two_rates.append(2 * BOOKINGS_PER_WORKER / two[0])
    one_per_s, two_per_s = max(one_rates), max(two_rates)
    successes = _contended(first_day)
    double_booked = _double_booked()
    _clean_up()
    return {
        "database": connection.vendor,
        "bookings_per_worker": BOOKINGS_PER_WORKER,
        "rounds": ROUNDS,
        "load_average": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
        "one_worker_per_s": round(one_per_s, 1),
        "two_workers_per_s": round(two_per_s, 1),
        "scaling": round(two_per_s / one_per_s, 2),
        "contended_one_item_successes": successes,
        "double_booked": double_booked,
    }


if __name__ == "__main__":
    print(json.dumps(main()))  # noqa: T201
