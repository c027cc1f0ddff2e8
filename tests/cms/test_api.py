"""API conventions: schema, content endpoints, problem+json errors in the user's language."""

import pytest
import yaml

from django.urls import reverse

from home.services import translation_save
from tests.factories.news import NewsPageFactory, news_index_create
from tests.factories.notifications import TopicFactory


@pytest.fixture
def content(home, locales):
    index = news_index_create(parent=home)
    park = TopicFactory(name="Stadtpark", slug="stadtpark")
    translation_save(instance=park, locale=locales["en"], strings={"Stadtpark": "City park"})
    traffic = TopicFactory(name="Verkehr", slug="verkehr")
    concert = NewsPageFactory(parent=index, title="Konzert im Park", topics=[park])
    NewsPageFactory(parent=index, title="Neue Ampel", topics=[traffic])
    translation_save(instance=concert, locale=locales["en"], strings={"Konzert im Park": "Concert in the park"})
    return {"concert": concert}


@pytest.mark.django_db
def test_schema_is_generated_and_documents_only_the_public_api(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {"/api/v1/news/", "/api/v1/news/{id}/", "/api/v1/topics/", "/api/v1/pages/{id}/"} <= paths
    assert all(path.startswith("/api/v1/") for path in paths)


@pytest.mark.django_db
def test_docs_page_is_served_without_third_party_assets(client):
    html = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower()


@pytest.mark.django_db
def test_news_list_per_locale_and_topic(client, content):
    german = client.get("/api/v1/news/", {"locale": "de"}).json()
    assert german["count"] == 2
    assert {item["title"] for item in german["results"]} == {"Konzert im Park", "Neue Ampel"}
    english = client.get("/api/v1/news/", {"locale": "en"}).json()
    assert [item["title"] for item in english["results"]] == ["Concert in the park"]
    park = client.get("/api/v1/news/", {"locale": "de", "topic": "stadtpark"}).json()
    assert [item["title"] for item in park["results"]] == ["Konzert im Park"]
    assert park["results"][0]["topics"][0]["slug"] == "stadtpark"


@pytest.mark.django_db
def test_news_detail_has_body(client, content):
    data = client.get(f"/api/v1/news/{content['concert'].id}/").json()
    assert data["title"] == "Konzert im Park"
    assert data["body"][0]["type"] == "paragraph"


@pytest.mark.django_db
def test_topics_in_english_fall_back_to_german_names(client, content):
    names = {topic["slug"]: topic["name"] for topic in client.get("/api/v1/topics/", {"locale": "en"}).json()}
    assert names == {"stadtpark": "City park", "verkehr": "Verkehr"}


@pytest.mark.django_db
def test_page_endpoint_returns_api_fields(client, content, home):
    data = client.get(f"/api/v1/pages/{home.id}/").json()
    assert data["type"] == "home.homepage"
    assert "intro" in data["fields"]


@pytest.mark.django_db
def test_unknown_news_is_a_german_problem_document(client, content):
    response = client.get("/api/v1/news/999999/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404
    assert problem["title"] == "Das haben wir nicht gefunden."
    assert set(problem) >= {"type", "title", "status", "detail"}


@pytest.mark.django_db
def test_problem_documents_follow_accept_language(client, content):
    problem = client.get("/api/v1/news/999999/", headers={"accept-language": "en"}).json()
    assert problem["title"] == "We could not find that."


@pytest.mark.django_db
def test_invalid_locale_is_a_validation_problem_with_field_errors(client, content):
    response = client.get("/api/v1/news/", {"locale": "xx"})
    assert response.status_code == 400
    problem = response.json()
    assert problem["type"].endswith("/validation")
    assert "locale" in problem["errors"]
    assert "Unbekannte Sprache" in problem["errors"]["locale"][0]


@pytest.mark.django_db
def test_api_pagination_is_bounded(client, home):
    index = news_index_create(parent=home)
    for _ in range(3):
        NewsPageFactory(parent=index)
    data = client.get("/api/v1/news/", {"page_size": 1000}).json()
    assert data["count"] == 3
    assert "next" in data and "previous" in data
    assert reverse("api-news-list") == "/api/v1/news/"
