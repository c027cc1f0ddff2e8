"""Every footer in every locale links the legally required pages (BITV 2.0, DDG, GDPR)."""

import re

import pytest

from home import demo as home_demo
from home.models import StandardPage

REQUIRED = {
    "de": ["/de/barrierefreiheit/", "/de/impressum/", "/de/datenschutz/"],
    "en": ["/en/barrierefreiheit/", "/en/impressum/", "/en/datenschutz/"],
    "de-ls": ["/de-ls/barrierefreiheit/", "/de-ls/impressum/", "/de-ls/datenschutz/"],
}


def _footer_links(client, path: str) -> list[str]:
    html = client.get(path).content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1].split("</footer>", 1)[0]
    return re.findall(r'href="([^"]+)"', footer)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en", "de-ls"])
def test_the_demo_has_every_legal_page_in_every_locale_in_the_footer(client, home, language):
    home_demo.seed()
    for path in (f"/{language}/", f"/{language}/verleih/", f"/{language}/suche/?q=Rollator"):
        links = _footer_links(client, path)
        for required in REQUIRED[language]:
            assert required in links, (path, required, links)
    for required in REQUIRED[language]:
        assert client.get(required).status_code == 200, required


@pytest.mark.django_db
def test_a_missing_translation_leaves_the_german_page_in_the_footer(client, home):
    home_demo.seed()
    StandardPage.objects.get(locale__language_code="en", slug="impressum").unpublish()
    html = client.get("/en/").content.decode()
    assert '<a href="/de/impressum/" lang="de" hreflang="de">Impressum</a>' in html
    assert "/en/datenschutz/" in _footer_links(client, "/en/")
