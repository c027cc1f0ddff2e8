"""Search engines find the portal: a sitemap of every locale and service with hreflang, meta descriptions."""

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest

from home.services import site_address_apply
from tests.factories.ideas import IdeaFactory
from tests.factories.notifications import TopicFactory
from tests.factories.rentals import ItemTypeFactory

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def _entries(client) -> dict[str, dict[str, str]]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
        }
        for url in root.findall("s:url", NS)
    }


@pytest.mark.django_db
def test_the_sitemap_covers_every_locale_and_the_services(client, settings, demo_site):
    settings.SITE_URL = "https://go.norderstedt.de"
    site_address_apply()
    ItemTypeFactory(name="Bollerwagen", slug="bollerwagen")
    idea = IdeaFactory(topic=TopicFactory(slug="sitemap-park", name="Park"))
    entries = _entries(client)
    locations = set(entries)
    assert all(location.startswith("https://go.norderstedt.de/") for location in locations), sorted(locations)[:5]
    for prefix in ("/de/", "/en/", "/de-ls/"):
        assert f"https://go.norderstedt.de{prefix}" in locations, prefix
    assert "https://go.norderstedt.de/de/verleih/bollerwagen/" in locations
    assert "https://go.norderstedt.de/en/verleih/bollerwagen/" in locations
    assert f"https://go.norderstedt.de/de/ideen/{idea.pk}/" in locations

    german_home = entries["https://go.norderstedt.de/de/"]
    assert german_home == {
        "de": "https://go.norderstedt.de/de/",
        "en": "https://go.norderstedt.de/en/",
        "x-default": "https://go.norderstedt.de/de/",
    }
    rentals = entries["https://go.norderstedt.de/en/verleih/"]
    assert rentals["de"] == "https://go.norderstedt.de/de/verleih/"
    assert rentals["x-default"] == "https://go.norderstedt.de/de/verleih/"
    assert "de-ls" not in rentals  # Leichte Sprache is German: listed, but no language tag of its own


@pytest.mark.django_db
def test_every_page_has_a_meta_description_from_its_own_text(client, demo_site):
    from news.models import NewsPage

    article = NewsPage.objects.live().filter(locale__language_code="de").exclude(teaser="").first()
    pages = {
        article.url: article.teaser[:150],
        "/de/verleih/": "Ausleihen im Stadtpark",
        "/en/verleih/": "Norderstedt GO!",
    }
    for path, expected in pages.items():
        html = client.get(path).content.decode()
        match = re.search(r'<meta name="description" content="([^"]*)">', html)
        assert match, path
        assert expected[:60] in unescape(match.group(1)), (path, match.group(1))
        assert len(match.group(1)) <= 200
