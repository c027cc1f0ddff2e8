"""List pages keep the same number of queries with 10 and with 100 news items."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.news import NewsPageFactory, news_index_create
from tests.factories.notifications import TopicFactory

QUERY_BUDGET = 40


def _queries_for(client, url: str, budget) -> int:
    client.get(url)  # warm caches that exist once per process (site root, locales)
    with budget(QUERY_BUDGET), CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def index_with_ten(home):
    index = news_index_create(parent=home)
    topics = [TopicFactory(slug=f"thema-{number}") for number in range(3)]
    for number in range(10):
        NewsPageFactory(parent=index, topics=[topics[number % 3]])
    return index, topics


def _add_ninety(index, topics) -> None:
    for number in range(90):
        NewsPageFactory(parent=index, topics=[topics[number % 3]])


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/de/", "/de/nachrichten/", "/de/nachrichten/?thema=thema-1"])
def test_list_pages_keep_their_query_count_from_10_to_100_news(
    client, index_with_ten, url, django_assert_max_num_queries
):
    index, topics = index_with_ten
    small = _queries_for(client, url, django_assert_max_num_queries)
    _add_ninety(index, topics)
    large = _queries_for(client, url, django_assert_max_num_queries)
    assert large == small
