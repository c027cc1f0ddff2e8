import socket

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


@pytest.fixture
def native_platforms(settings, tmp_path):
    """FCM and APNs count as configured (their credential files are present), for registration tests."""
    fcm_file, apns_file = tmp_path / "fcm.json", tmp_path / "apns.p8"
    fcm_file.write_text("{}")
    apns_file.write_text("test key")
    settings.FCM_CREDENTIALS_FILE, settings.FCM_PROJECT_ID = str(fcm_file), "norderstedt-test"
    settings.APNS_KEY_FILE, settings.APNS_KEY_ID, settings.APNS_TEAM_ID = str(apns_file), "KEY1234567", "TEAM123456"
    return settings


@pytest.fixture
def dns(monkeypatch):
    """A resolver the test controls (host name -> address); other names resolve as usual."""
    answers: dict[str, str] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port or 443))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers
