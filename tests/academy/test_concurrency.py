"""Capacity under contention on PostgreSQL, with real parallel connections.

50 citizens register at once for C places. With the seat-pool row lock exactly C
get a place and the rest wait at positions 1..N−C. The control switches the lock
off and makes every request read the seat count before anyone writes: the course
is overbooked, which shows the test can see the race.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from django.db import connection

from academy.models import CourseFormat, Registration
from academy.services import registrations as registration_services
from academy.services.registrations import RegistrationError, SeatPool, registration_create
from tests.factories.academy import citizen_create, course_create, session_create

PEOPLE = 50
CAPACITY = 7

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _register_all(course, session, people) -> list[str]:
    def register(person):
        try:
            return registration_create(course=course.course, session=session, user=person).status
        except RegistrationError as error:
            return f"error:{error.code}"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        return list(pool.map(register, people))


def _setup(home, course_format):
    from tests.factories.academy import academy_index_create

    academy = academy_index_create(parent=home)
    course = course_create(index=academy, format=course_format, capacity=CAPACITY)
    session = session_create(course=course, capacity=CAPACITY)
    people = [citizen_create() for _ in range(PEOPLE)]
    return course, (session if course_format != CourseFormat.SERIES else None), people


@pytest.mark.parametrize("course_format", [CourseFormat.SERIES, CourseFormat.DROP_IN])
def test_fifty_parallel_registrations_fill_exactly_the_capacity(postgres, home, course_format):
    course, session, people = _setup(home, course_format)
    statuses = _register_all(course, session, people)
    assert statuses.count("confirmed") == CAPACITY
    assert statuses.count("waiting") == PEOPLE - CAPACITY
    waiting = Registration.objects.filter(course=course.course, status="waiting")
    assert sorted(waiting.values_list("waitlist_position", flat=True)) == list(range(1, PEOPLE - CAPACITY + 1))


def test_control_without_the_lock_overbooks(postgres, home, monkeypatch):
    course, session, people = _setup(home, CourseFormat.SERIES)
    everyone_counted = threading.Barrier(PEOPLE, timeout=30)
    count_seats = SeatPool.seated

    def seated_then_wait(pool):
        seats = count_seats(pool)
        everyone_counted.wait()
        return seats

    monkeypatch.setattr(registration_services, "LOCK_SEAT_POOL", False)
    monkeypatch.setattr(SeatPool, "seated", seated_then_wait)
    statuses = _register_all(course, session, people)
    confirmed = Registration.objects.filter(course=course.course, status="confirmed").count()
    assert statuses.count("confirmed") == confirmed
    assert confirmed > CAPACITY
