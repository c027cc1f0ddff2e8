"""API throttling (cms/api/throttling.py): anonymous and per-user limits, and scoped limits on writes.

Rates are the settings' own (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``); the cache is cleared before
every test (tests/conftest.py), so no count leaks from one test into the next.
"""

import pytest

from django.conf import settings

from tests.factories.ideas import IdeaFactory, UserFactory
from tests.factories.notifications import TopicFactory

pytestmark = pytest.mark.django_db

FCM_TOKEN = "dQw4w9WgXcQ:APA91bH" + "x" * 140


def _rate(scope: str) -> int:
    number, _period = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope].split("/")
    return int(number)


def _submission(number: int) -> dict:
    return {
        "title": f"Trinkbrunnen Nummer {number}",
        "description": "Öffentliche Trinkbrunnen an allen Spielplätzen im Stadtpark.",
        "need": "Kinder haben im Sommer Durst.",
        "topic": "stadtpark",
        "district": "garstedt",
    }


def _assert_throttled(response) -> None:
    assert response.status_code == 429, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["status"] == 429
    assert "Sekunden" in body["detail"] or "Minuten" in body["detail"]


def test_31_idea_submissions_in_a_row_end_in_429_with_retry_after(client, locales):
    TopicFactory(slug="stadtpark", name="Stadtpark")
    client.force_login(UserFactory(username="eilig"))
    responses = [
        client.post("/api/v1/ideas/", _submission(number), content_type="application/json") for number in range(31)
    ]
    allowed = _rate("ideas_submit")
    assert allowed < 31
    assert [response.status_code for response in responses[:allowed]] == [201] * allowed
    for response in responses[allowed:]:
        _assert_throttled(response)


def test_the_submission_limit_is_per_citizen_and_leaves_reading_alone(client, locales):
    TopicFactory(slug="stadtpark", name="Stadtpark")
    client.force_login(UserFactory(username="eilig"))
    for number in range(_rate("ideas_submit")):
        client.post("/api/v1/ideas/", _submission(number), content_type="application/json")
    _assert_throttled(client.post("/api/v1/ideas/", _submission(99), content_type="application/json"))
    assert client.get("/api/v1/ideas/").status_code == 200
    client.force_login(UserFactory(username="geduldig"))
    assert client.post("/api/v1/ideas/", _submission(100), content_type="application/json").status_code == 201


def test_supporting_is_throttled(client, locales):
    idea = IdeaFactory(topic=TopicFactory(slug="stadtpark", name="Stadtpark"))
    client.force_login(UserFactory(username="fan"))
    for _ in range(_rate("ideas_relation")):
        assert client.post(f"/api/v1/ideas/{idea.pk}/support/").status_code in (200, 201)
    _assert_throttled(client.post(f"/api/v1/ideas/{idea.pk}/support/"))


@pytest.fixture
def fcm_configured(settings, tmp_path):
    """FCM counts as configured (its credential file is present), so a registration is accepted."""
    credentials = tmp_path / "fcm.json"
    credentials.write_text("{}")
    settings.FCM_CREDENTIALS_FILE, settings.FCM_PROJECT_ID = str(credentials), "norderstedt-test"


def _register(client, address: str):
    return client.post(
        "/api/v1/push/devices/",
        {"platform": "fcm", "token": FCM_TOKEN, "topics": []},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_device_registration_is_throttled_per_client_address(client, locales, fcm_configured):
    for _ in range(_rate("push_device_register")):
        assert _register(client, "198.51.100.7").status_code == 201
    _assert_throttled(_register(client, "198.51.100.7"))
    assert _register(client, "198.51.100.8").status_code == 201


def test_anonymous_reading_is_throttled(client, locales):
    for _ in range(_rate("anon")):
        assert client.get("/api/v1/topics/", REMOTE_ADDR="198.51.100.9").status_code == 200
    _assert_throttled(client.get("/api/v1/topics/", REMOTE_ADDR="198.51.100.9"))
    assert client.get("/api/v1/topics/", REMOTE_ADDR="198.51.100.10").status_code == 200
