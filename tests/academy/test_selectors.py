"""The academy index keeps a fixed query count with 10 and 100 courses.

Most of the budget is the page frame (site, locale, navigation); the course list
itself is five queries however many courses there are.
"""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from academy.services.registrations import registration_create
from tests.factories.academy import LocationFactory, citizen_create, course_create, session_create

pytestmark = pytest.mark.django_db


def _courses(academy, count: int) -> None:
    location = LocationFactory()
    citizen = citizen_create()
    for _ in range(count):
        course = course_create(index=academy, capacity=3)
        session_create(course=course, location=location)
        registration_create(course=course.course, user=citizen)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("count", [10, 100])
def test_index_query_budget(client, academy, count, django_assert_max_num_queries):
    _courses(academy, count)
    client.get(academy.url)
    with django_assert_max_num_queries(32):
        response = client.get(academy.url)
    assert response.content.decode().count('class="card course-card"') == count


def test_index_query_count_does_not_grow_with_courses(client, academy):
    _courses(academy, 10)
    client.get(academy.url)
    ten = _queries(client, academy.url)
    _courses(academy, 20)
    assert _queries(client, academy.url) == ten


def test_the_home_page_loads_only_the_courses_it_shows(academy, locales):
    from wagtail.models import Locale

    from academy.selectors import courses_for_home, courses_upcoming

    _courses(academy, 12)
    german = Locale.objects.get(language_code="de")
    expected = [card.page.pk for card in courses_upcoming(locale=german)[:3]]
    with CaptureQueriesContext(connection) as queries:
        shown = courses_for_home(locale=german, limit=3)
    assert [card.page.pk for card in shown] == expected
    assert all(card.sessions for card in shown)
    session_queries = [q["sql"] for q in queries if q["sql"].startswith('SELECT "academy_session"')]
    assert session_queries, [q["sql"][:120] for q in queries]
    assert all("IN (" in sql for sql in session_queries), session_queries  # only the shown courses' sessions
    assert any("LIMIT 3" in q["sql"] for q in queries)
