"""Hostile input gets a 4xx answer, never a 500 (issue 13, item 7 and "API details")."""

import json

import pytest
from rest_framework.test import APIClient

from ideas.models import IdeaIndexPage
from tests.factories.rentals import UserFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
HUGE_ID = 2**64 + 1


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/ideas/?district=%00",
        "/api/v1/news/?topic=%00",
        "/api/v1/academy/courses/?topic=a%00b",
    ],
)
def test_nul_byte_in_an_api_query_is_a_400_problem(api, home, url):
    response = api.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 400


@pytest.mark.parametrize("url", ["/de/suche/?q=%00", "/de/ideen/aehnliche/?titel=%00", "/de/ideenspeicher/?thema=%00"])
def test_nul_byte_in_a_page_query_is_a_polite_german_400(client, demo_site, url):
    demo_site.add_child(instance=IdeaIndexPage(title="Ideenspeicher", slug="ideenspeicher", locale=demo_site.locale))
    response = client.get(url)
    assert response.status_code == 400
    assert "Ungültige Zeichen" in response.content.decode()


def test_nul_byte_in_a_form_field_is_a_400(client, home):
    response = client.post("/de/suche/", {"q": "a\x00"})
    assert response.status_code == 400


def test_json_nested_ten_thousand_deep_is_a_400_problem(api):
    api.force_authenticate(UserFactory())
    body = "[" * 10_000 + "]" * 10_000
    response = api.post("/api/v1/ideas/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM


def test_json_of_ordinary_depth_still_parses(api):
    body = json.dumps({"platform": "web", "subscription": {"endpoint": "x", "keys": {"p256dh": "", "auth": ""}}})
    response = api.post("/api/v1/push/devices/", body, content_type="application/json")
    assert response.status_code == 400
    assert (
        "subscription.endpoint" in response.json()["errors"] or "subscription.keys.p256dh" in response.json()["errors"]
    )


@pytest.mark.parametrize("query", ['"', '"Stadtpark', 'a "b" OR c', "*", "'"])
def test_quotes_in_site_search_do_not_fail(client, demo_site, query):
    assert client.get("/de/suche/", {"q": query}).status_code == 200


def test_quoted_words_still_find_the_page(client, demo_site):
    title = demo_site.get_children().live().first().title
    response = client.get("/de/suche/", {"q": f'"{title}"'})
    assert response.status_code == 200
    assert title in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/news/{HUGE_ID}/",
        f"/api/v1/pages/{HUGE_ID}/",
        f"/api/v1/ideas/{HUGE_ID}/",
        f"/api/v1/academy/courses/{HUGE_ID}/",
        f"/api/v1/news/{10**30}/",
    ],
)
def test_ids_beyond_64_bits_are_404_problems(api, home, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_ids_beyond_64_bits_are_404_for_signed_in_writes(api, home):
    api.force_authenticate(UserFactory())
    for url in (
        f"/api/v1/rentals/reservations/{HUGE_ID}/cancel/",
        f"/api/v1/ideas/{HUGE_ID}/support/",
        f"/api/v1/academy/registrations/{HUGE_ID}/cancel/",
    ):
        assert api.post(url).status_code == 404, url


@pytest.mark.parametrize(
    "url",
    [
        f"/de/ideen/{HUGE_ID}/",
        f"/de/verleih/reservierung/{HUGE_ID}/",
        f"/de/akademie/anmeldungen/{HUGE_ID}/absagen/",
        f"/de/akademie/termine/{HUGE_ID}/kalender.ics",
    ],
)
def test_ids_beyond_64_bits_on_html_pages_are_404(client, home, url):
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/news/abc/", "/api/v1/rentals/reservations/x/", "/api/v1/nothing-here/"])
def test_unknown_api_urls_are_404_problems_not_html(api, home, url):
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Das haben wir nicht gefunden."


def test_nested_validation_errors_are_plain_messages_under_dotted_keys(api):
    response = api.post(
        "/api/v1/push/devices/",
        {"platform": "web", "subscription": {"endpoint": "", "keys": {}}},
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert all(isinstance(key, str) and "{" not in key for key in errors)
    for messages in errors.values():
        assert all(isinstance(message, str) and "ErrorDetail" not in message for message in messages)
    assert any(key.startswith("subscription.") for key in errors)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/me/"),
        ("get", "/api/v1/rentals/reservations/"),
        ("post", "/api/v1/ideas/"),
        ("post", "/api/v1/academy/registrations/"),
    ],
)
def test_unauthenticated_calls_get_401_with_www_authenticate(api, method, url):
    response = getattr(api, method)(url, {}, format="json")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert "WWW-Authenticate" in response


def test_a_multipart_write_with_an_idempotency_key_is_answered_not_a_500(api, home):
    """The NUL check read ``request.POST``, which consumes a multipart stream; the Idempotency-Key
    fingerprint then could not read ``request.body``."""
    api.force_authenticate(UserFactory())
    response = api.post(
        "/api/v1/ideas/", {"title": "Mehr Bänke"}, format="multipart", headers={"Idempotency-Key": "fuzz-1"}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "description" in response.json()["errors"]


def test_a_nul_byte_in_a_multipart_api_field_is_still_a_400_problem(api, home):
    api.force_authenticate(UserFactory())
    body = {"title": "Mehr\x00Bänke", "description": "x" * 30, "need": "y" * 20, "topic": "verkehr"}
    response = api.post("/api/v1/ideas/", body, format="multipart")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "title" in response.json()["errors"]


def test_a_body_over_the_upload_limit_is_a_400_problem_not_an_html_page(api, home, settings):
    """Django refuses a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` with ``RequestDataTooBig``; its
    default 400 page is HTML."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    api.force_authenticate(UserFactory())
    body = json.dumps({"title": "x" * 2048})
    response = api.post("/api/v1/ideas/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "Die Anfrage ist zu groß. Bitte senden Sie weniger Daten."


def test_a_body_over_the_upload_limit_on_a_page_is_still_django_s_400(client, home, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/de/suche/", {"q": "x" * 2048})
    assert response.status_code == 400
    assert not response["Content-Type"].startswith(PROBLEM)
