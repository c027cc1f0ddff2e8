"""Support once under contention, on PostgreSQL with real parallel connections.

The guard is the unique constraint on (idea, user). The control drops that
constraint and shows that the same parallel requests then really do count a
person twice, so the first test proves something.
"""

import threading

import pytest

from django.conf import settings
from django.db import connection, connections

from ideas.models import Support
from ideas.selectors.public import ideas_similar
from ideas.services.submission import idea_support
from tests.factories.ideas import IdeaFactory, UserFactory

THREADS = 6

# Only PostgreSQL runs these tests. Elsewhere they skip through the ``postgres`` fixture; marking them
# transactional there too would flush the SQLite test database for nothing and break later tests that
# rely on the rows the migrations created.
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
parallel_connections = pytest.mark.django_db(transaction=True) if ON_POSTGRES else pytest.mark.django_db


def _in_parallel(function) -> list:
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:  # noqa: BLE001 -- collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _naive_support(idea, user, checked: threading.Barrier):
    """What a check-then-insert without the constraint would do.

    Every thread looks before any thread writes (the ``checked`` barrier), so the
    interleaving that real traffic produces only sometimes happens every time.
    """
    exists = Support.objects.filter(idea=idea, user=user).exists()
    checked.wait(timeout=10)
    if not exists:
        Support.objects.create(idea=idea, user=user)
        return True
    return False


@pytest.mark.services
@parallel_connections
def test_parallel_supports_by_one_person_count_once(postgres, locales):
    idea, user = IdeaFactory(), UserFactory()
    results, errors = _in_parallel(lambda: idea_support(idea=idea, user=user))
    assert errors == []
    assert sorted(results) == [False] * (THREADS - 1) + [True]
    assert Support.objects.filter(idea=idea, user=user).count() == 1


@pytest.mark.services
@parallel_connections
def test_control_without_the_constraint_the_race_counts_twice(postgres, locales):
    idea, user = IdeaFactory(), UserFactory()
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE ideas_support DROP CONSTRAINT idea_support_once_per_user")
    try:
        checked = threading.Barrier(THREADS)
        _results, errors = _in_parallel(lambda: _naive_support(idea, user, checked))
        assert errors == []
        assert Support.objects.filter(idea=idea, user=user).count() > 1
    finally:
        Support.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                "ALTER TABLE ideas_support ADD CONSTRAINT idea_support_once_per_user UNIQUE (idea_id, user_id)"
            )


@pytest.mark.services
def test_trigram_similarity_finds_near_titles_on_postgresql(postgres, locales):
    IdeaFactory(title="Live-Karte für den Bürgerbus")
    IdeaFactory(title="Mehr Bänke im Stadtpark")
    titles = [idea.title for idea in ideas_similar(title="Livekarte Bürgerbus")]
    assert titles == ["Live-Karte für den Bürgerbus"]
