import pytest

from django.core.cache import cache

from notifications.push import webpush
from notifications.services.vapid import vapid_key_pair
from tests.factories.news import news_index_create
from tests.factories.notifications import TopicFactory
from tests.notifications.push_service import LocalPushService


@pytest.fixture
def vapid(settings):
    keys = vapid_key_pair()
    settings.VAPID_PRIVATE_KEY = keys["private_key"]
    settings.VAPID_PUBLIC_KEY = keys["public_key"]
    settings.VAPID_SUBJECT = "mailto:digital@norderstedt.de"
    return keys


@pytest.fixture
def push_service(settings, vapid):
    """The local RFC 8030 push service; our Web Push client trusts its certificate."""
    service = LocalPushService().start()
    settings.PUSH_WEBPUSH_CA_BUNDLE = service.cert_path
    yield service
    webpush.clients_close()
    cache.clear()
    service.stop()


@pytest.fixture
def traffic(home):
    return TopicFactory(slug="verkehr-baustellen", name="Verkehr & Baustellen")


@pytest.fixture
def park(home):
    return TopicFactory(slug="stadtpark", name="Stadtpark")


@pytest.fixture
def news_index(home):
    return news_index_create(parent=home)
