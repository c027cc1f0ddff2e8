import pytest

from tests.factories.news import news_index_create
from tests.factories.notifications import TopicFactory


@pytest.fixture
def traffic(home):
    return TopicFactory(slug="verkehr-baustellen", name="Verkehr & Baustellen")


@pytest.fixture
def park(home):
    return TopicFactory(slug="stadtpark", name="Stadtpark")


@pytest.fixture
def news_index(home):
    return news_index_create(parent=home)
