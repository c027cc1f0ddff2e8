"""The same reference from parallel requests gives one command (PostgreSQL, real connections).

Every thread looks for the reference first and finds nothing, then all insert
at once (a barrier makes the race certain). The unique constraint on
``Command.reference`` lets exactly one insert win; the control test drops that
constraint and shows the race really produces duplicates.
"""

import threading
from contextlib import contextmanager, suppress

import pytest

from django.db import connection, connections
from django.db.models.query import QuerySet

from locker_bridge import services
from locker_bridge.models import Command, Compartment
from tests.factories.locker_bridge import LockerFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

THREADS = 6


@pytest.fixture
def compartment(postgres, monkeypatch):
    monkeypatch.setattr("locker_bridge.tasks.enqueue_command_publish", lambda **kwargs: None)
    locker = LockerFactory(controller_id="concurrency")
    return Compartment.objects.create(locker=locker, number=1)


@pytest.fixture
def everyone_misses_first(monkeypatch):
    """Hold each thread after its lookup found nothing until all threads have looked."""
    barrier = threading.Barrier(THREADS, timeout=10)
    original_get = QuerySet.get

    def get(self, *args, **kwargs):
        try:
            return original_get(self, *args, **kwargs)
        except self.model.DoesNotExist:
            if self.model is Command and threading.current_thread() is not threading.main_thread():
                with suppress(threading.BrokenBarrierError):
                    barrier.wait()
            raise

    monkeypatch.setattr(QuerySet, "get", get)


def open_in_parallel(compartment: Compartment) -> list:
    results, errors = [], []

    def worker():
        try:
            command = services.compartment_open(
                compartment=compartment, reason="Test", reference="same-reference", requested_by=None
            )
            results.append(command.pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


@contextmanager
def reference_constraint_dropped():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Command._meta.db_table)
    names = [
        name
        for name, info in constraints.items()
        if info["columns"] == ["reference"] and info["unique"] and not info["primary_key"]
    ]
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f'ALTER TABLE {Command._meta.db_table} DROP CONSTRAINT "{name}"')
    try:
        yield
    finally:
        Command.objects.all().delete()
        with connection.cursor() as cursor:
            for name in names:
                cursor.execute(f'ALTER TABLE {Command._meta.db_table} ADD CONSTRAINT "{name}" UNIQUE (reference)')


def test_same_reference_under_contention_gives_one_command(compartment, everyone_misses_first):
    results = open_in_parallel(compartment)
    assert len(results) == THREADS
    assert len(set(results)) == 1
    assert Command.objects.filter(reference="same-reference").count() == 1


def test_control_without_the_unique_constraint_the_race_duplicates(compartment, everyone_misses_first):
    with reference_constraint_dropped():
        results = open_in_parallel(compartment)
        assert Command.objects.filter(reference="same-reference").count() > 1
        assert len(set(results)) > 1


def test_a_rotation_waits_for_a_concurrent_one_and_never_revives_a_revoked_key(postgres):
    """An urgent rotation (no grace, the old key leaked) holds the row; a routine rotation
    started meanwhile must build on it, not on the leaked key it would have read before."""
    from datetime import timedelta

    from django.db import transaction

    from locker_bridge.models import Locker
    from locker_bridge.services.keys import locker_key_rotate

    locker = LockerFactory(controller_id="rotation")
    leaked = locker.secret_key
    started, outcome = threading.Event(), {}

    def routine():
        try:
            started.set()
            outcome["key"] = locker_key_rotate(locker=Locker.objects.get(pk=locker.pk), grace=timedelta(minutes=15))
        finally:
            connections.close_all()

    with transaction.atomic():
        urgent = Locker.objects.select_for_update().get(pk=locker.pk)
        thread = threading.Thread(target=routine)
        thread.start()
        started.wait(5)
        thread.join(1)
        assert thread.is_alive()  # the routine rotation waits for the row
        locker_key_rotate(locker=urgent, grace=timedelta(0))
        urgent_key = Locker.objects.get(pk=locker.pk).secret_key
    thread.join(10)
    locker.refresh_from_db()
    assert locker.secret_key == outcome["key"]
    assert locker.previous_secret_key == urgent_key
    assert leaked not in (locker.secret_key, locker.previous_secret_key)
