"""Support once, and departing members' pseudonyms, under contention on PostgreSQL with real parallel connections.

The guard for supports is the unique constraint on (idea, user). The control drops that
constraint and shows that the same parallel requests then really do count a
person twice, so the first test proves something.

The guard for pseudonyms is the lock on the round while ``evaluation_member_detach``
draws the next number. Its control takes the lock away and makes every thread read
before any writes: two departed members then draw the same number, and the unique
constraint on (assignment, pseudonym) refuses the deletion.
"""

import threading

import pytest

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, connections

from accounts.services import account_delete
from ideas.models import EvaluationRound, Scorecard, Support
from ideas.selectors.evaluation import round_export_rows
from ideas.selectors.public import ideas_similar
from ideas.services import personal_data
from ideas.services.submission import idea_support
from tests.factories.ideas import IdeaFactory, UserFactory, closed_round_with_recusals

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


def _delete_in_parallel(users) -> list[Exception]:
    start = threading.Barrier(len(users))
    errors = []

    def run(user):
        try:
            start.wait(timeout=10)
            account_delete(user=user)
        except Exception as error:  # noqa: BLE001 -- collected and asserted on below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.services
@parallel_connections
def test_members_leaving_one_round_at_once_each_get_their_own_pseudonym(postgres, topic):
    evaluation_round, members = closed_round_with_recusals(topic=topic, actor=UserFactory())
    results = round_export_rows(evaluation_round=evaluation_round)

    assert _delete_in_parallel(members) == []

    assert not get_user_model().objects.filter(pk__in=[member.pk for member in members]).exists()
    cards = Scorecard.objects.filter(assignment__round=evaluation_round)
    assert set(cards.values_list("member", flat=True)) == {None}
    assert set(cards.values_list("pseudonym", flat=True)) == {1, 2, 3}
    assert round_export_rows(evaluation_round=evaluation_round) == results


@pytest.mark.services
@parallel_connections
def test_control_without_the_lock_two_members_draw_the_same_number(postgres, topic, monkeypatch):
    _round, members = closed_round_with_recusals(topic=topic, actor=UserFactory())
    drawn = threading.Barrier(len(members))
    next_pseudonym = personal_data._next_pseudonym

    def next_pseudonym_then_wait(evaluation_round):
        number = next_pseudonym(evaluation_round)
        drawn.wait(timeout=10)
        return number

    monkeypatch.setattr(personal_data, "_rounds_locked", lambda ids: EvaluationRound.objects.filter(pk__in=ids))
    monkeypatch.setattr(personal_data, "_next_pseudonym", next_pseudonym_then_wait)

    errors = _delete_in_parallel(members)

    assert errors and all(isinstance(error, IntegrityError) for error in errors)
    assert get_user_model().objects.filter(pk__in=[member.pk for member in members]).count() == len(errors)
