"""Shared fixtures.

Tests marked ``services`` need a real PostgreSQL, Redis or MQTT broker. Without
one they skip and say why; with ``REQUIRE_SERVICES=1`` (CI's second run) a
missing service is a failure instead.
"""

import os
import socket
from urllib.parse import urlparse

import pytest

from django.core.cache import cache
from django.db import connection

from home.services import locales_ensure, site_ensure, staff_groups_ensure
from notifications.push import webpush
from notifications.services.vapid import vapid_key_pair
from tests.notifications.push_service import LocalPushService

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def service_missing(reason: str) -> None:
    """Skip, or fail when CI requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def postgres(db):
    """The test database is PostgreSQL (set DATABASE_URL=postgres://…)."""
    if connection.vendor != "postgresql":
        service_missing("this test needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test")
    return connection


def _service_url(variable: str, default_port: int, example: str, name: str) -> str:
    url = os.environ.get(variable, "")
    if not url:
        service_missing(f"this test needs {name}: set {variable}={example}")
    if not _reachable(url, default_port):
        service_missing(f"{name} at {url} is not reachable")
    return url


@pytest.fixture
def redis_url():
    return _service_url("REDIS_URL", 6379, "redis://127.0.0.1:6379/0", "Redis")


@pytest.fixture
def mqtt_url():
    return _service_url("MQTT_URL", 1883, "mqtt://127.0.0.1:1883", "an MQTT broker")


@pytest.fixture
def locales(db):
    return locales_ensure()


@pytest.fixture
def home(db, locales):
    """The German home page as the default site's root."""
    return site_ensure()


@pytest.fixture
def staff_groups(home):
    return staff_groups_ensure(home=home)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit and throttle counts (allauth, the API, the login lockout) live in the cache: start
    every test with none, so no test is refused because of another's requests."""
    cache.clear()


@pytest.fixture(autouse=True)
def _media_and_language(settings):
    settings.LANGUAGE_CODE = "de"


@pytest.fixture
def demo_site(home):
    """The foundation's demo pages, topics and news, as seed_demo creates them."""
    from home import demo as home_demo
    from home.search_index import search_index_rebuild
    from home.services import staff_groups_ensure
    from news import demo as news_demo
    from notifications import demo as notifications_demo

    home = home_demo.seed()
    staff_groups_ensure(home=home)
    notifications_demo.seed()
    news_demo.seed(home=home)
    search_index_rebuild()
    return home


@pytest.fixture
def full_demo(demo_site):
    """Everything seed_demo creates: the services' records too, and the search index over them."""
    from academy import demo as academy_demo
    from accounts import demo as accounts_demo
    from home.search_index import search_index_rebuild
    from ideas import demo as ideas_demo
    from locker_bridge import demo as locker_demo
    from rentals import demo as rentals_demo

    accounts_demo.seed(reveal_passwords=True)
    locker_demo.seed(home=demo_site)
    rentals_demo.seed(home=demo_site)
    academy_demo.seed(home=demo_site)
    ideas_demo.seed(home=demo_site)
    search_index_rebuild()
    return demo_site


@pytest.fixture
def vapid(settings):
    keys = vapid_key_pair()
    settings.VAPID_PRIVATE_KEY = keys["private_key"]
    settings.VAPID_PUBLIC_KEY = keys["public_key"]
    settings.VAPID_SUBJECT = "mailto:digital@norderstedt.de"
    return keys


@pytest.fixture
def push_service(settings, vapid):
    """The local RFC 8030 push service (tests/notifications/push_service.py); our client trusts it."""
    service = LocalPushService().start()
    settings.PUSH_WEBPUSH_CA_BUNDLE = service.cert_path
    yield service
    webpush.clients_close()
    cache.clear()
    service.stop()
