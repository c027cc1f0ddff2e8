"""Registrations per second on one course, with 1 and with 4 concurrent clients.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench python -m bench.registrations

Runs against a throwaway test database (``test_<name>``) created and dropped
here, so it never touches real data. It measures the seat-pool row lock, which
is the point of contention: ``p99_lock_wait_ms`` is the 99th percentile of the
time ``seat_pool_lock`` takes (mostly waiting for the lock) under 4 clients.
The last line is one JSON object; ``overbooked`` must be 0.
"""

import json
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

SINGLE = int(os.environ.get("BENCH_SINGLE", "150"))
CONCURRENT = int(os.environ.get("BENCH_CONCURRENT", "300"))
CLIENTS = 4


def main() -> int:
    import django

    django.setup()
    import logging

    from django_q.conf import Conf

    from django.db import connection

    # Emails are queued in the ORM broker as in production, not sent inline as in tests.
    Conf.SYNC = False
    logging.disable(logging.INFO)

    if connection.vendor != "postgresql":
        print("bench.registrations needs PostgreSQL: set DATABASE_URL=postgres://…", file=sys.stderr)  # noqa: T201
        return 2
    test_database = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        result = run()
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)
    print(json.dumps(result))  # noqa: T201
    return 0 if result["overbooked"] == 0 else 1


def _setup(count: int, capacity: int):
    from django.contrib.auth import get_user_model

    from academy.models import AcademyIndexPage
    from home.services import site_ensure
    from tests.factories.academy import course_create, session_create

    home = site_ensure()
    index = AcademyIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=AcademyIndexPage(title="Akademie", slug="akademie", locale=home.locale))
        index.save_revision().publish()
    course = course_create(index=index, capacity=capacity)
    session_create(course=course, capacity=capacity)
    user_model = get_user_model()
    stamp = time.monotonic_ns()
    users = user_model.objects.bulk_create(
        [user_model(username=f"bench-{stamp}-{n}", email=f"bench-{stamp}-{n}@example.org") for n in range(count)]
    )
    return course, users


def _overbooked(course) -> int:
    from django.db.models import Sum

    from academy.models import Registration

    seated = Registration.objects.filter(course=course.course, status__in=Registration.SEATED)
    seats = seated.aggregate(seats=Sum("seats"))["seats"] or 0
    return max(0, seats - course.course.capacity)


def run() -> dict:
    from django.db import connection

    from academy.services import registrations

    single_course, single_users = _setup(SINGLE, SINGLE // 2)
    started = time.perf_counter()
    for user in single_users:
        registrations.registration_create(course=single_course.course, user=user)
    single_rate = SINGLE / (time.perf_counter() - started)

    concurrent_course, concurrent_users = _setup(CONCURRENT, CONCURRENT // 2)
    lock_waits: list[float] = []
    waits_guard = threading.Lock()
    original_lock = registrations.seat_pool_lock

    def timed_lock(**kwargs):
        begin = time.perf_counter()
        pool = original_lock(**kwargs)
        with waits_guard:
            lock_waits.append((time.perf_counter() - begin) * 1000)
        return pool

    def client(users):
        try:
            for user in users:
                registrations.registration_create(course=concurrent_course.course, user=user)
        finally:
            connection.close()

    registrations.seat_pool_lock = timed_lock
    try:
        shares = [concurrent_users[n::CLIENTS] for n in range(CLIENTS)]
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            list(pool.map(client, shares))
        concurrent_rate = CONCURRENT / (time.perf_counter() - started)
    finally:
        registrations.seat_pool_lock = original_lock

    p99 = statistics.quantiles(lock_waits, n=100)[98] if len(lock_waits) >= 2 else 0.0
    return {
        "single_client_per_s": round(single_rate, 1),
        "concurrent_per_s": round(concurrent_rate, 1),
        "clients": CLIENTS,
        "p99_lock_wait_ms": round(p99, 2),
        "overbooked": _overbooked(single_course) + _overbooked(concurrent_course),
    }


if __name__ == "__main__":
    sys.exit(main())
