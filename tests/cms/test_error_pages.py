"""The portal's own 404 and 500 pages: in the frame, in the request's language, the 500 without the database."""

import pytest

from django.test import RequestFactory
from django.utils import translation

from cms.errors import server_error
from tests.cms.test_settings import PRODUCTION_ENV, _manage


@pytest.mark.parametrize(
    ("path", "lang", "heading"),
    [
        ("/de/gibt-es-nicht/", "de", "Diese Seite gibt es nicht"),
        ("/en/does-not-exist/", "en", "This page does not exist"),
        ("/de-ls/gibt-es-nicht/", "de", "Diese Seite gibt es nicht"),
        ("/de/verleih/gibt-es-nicht/", "de", "Diese Seite gibt es nicht"),
    ],
)
def test_a_missing_page_is_the_portals_own_404_in_the_frame(client, home, path, lang, heading):
    response = client.get(path)
    assert response.status_code == 404
    page = response.content.decode()
    assert f'<html lang="{lang}"' in page
    assert heading in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert 'role="search"' in page and 'name="q"' in page
    assert "Not Found" not in page


def test_an_api_404_stays_a_problem_document(client, home):
    response = client.get("/api/v1/gibt-es-nicht/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(("language", "heading"), [("de", "Das hat leider nicht geklappt"), ("en", "Sorry")])
def test_the_500_page_renders_without_touching_the_database(django_db_blocker, language, heading):
    request = RequestFactory().get(f"/{language}/")
    with django_db_blocker.block(), translation.override(language):
        response = server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}"' in page
    assert heading in page
    assert f'href="/{language}/"' in page and "/verleih/" in page


def test_a_failing_view_answers_with_the_portals_500_page(client, home, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the search backend is down")

    monkeypatch.setattr("home.views.site_search", broken)
    client.raise_request_exception = False
    response = client.get("/de/suche/?q=Rollator")
    assert response.status_code == 500
    assert "Das hat leider nicht geklappt" in response.content.decode()


def test_production_settings_use_the_portals_handlers_and_render_the_500_page():
    # The manifest comes from collectstatic at deployment; here the plain storage stands in for it.
    script = (
        "from django.template import loader; from django.test import RequestFactory, override_settings;"
        "from django.urls import get_resolver; from django.utils import translation;"
        "from cms.errors import server_error;"
        "assert get_resolver().resolve_error_handler(500) is server_error;"
        "assert get_resolver().resolve_error_handler(404).__name__ == 'not_found';"
        "loader.get_template('404.html');"
        "plain = {'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'},"
        " 'default': {'BACKEND': 'django.core.files.storage.FileSystemStorage'}};"
        "translation.activate('de');"
        "print(override_settings(STORAGES=plain)(server_error)(RequestFactory().get('/de/')).status_code)"
    )
    result = _manage("shell", "-c", script, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("500")
