"""Every locale in chromium with axe: a crawl of the demo in German, English and Leichte Sprache,
a Leichte Sprache citizen who reserves a Rollator without leaving ``/de-ls/``, and the search."""

import re
from urllib.parse import urlsplit

import pytest

from rentals.models import Reservation
from tests.factories.accounts import CitizenFactory

pytestmark = pytest.mark.browser

# Addresses a crawl must not follow: staff screens, machine formats, sign-out, downloads.
SKIPPED = re.compile(
    r"^/(admin|django-admin|api|documents|media|static|_allauth)/|/konto/logout/|\.(ics|pdf|xml|png)$|/feeds/"
)
PAGES_PER_LOCALE = 14


def _shape(path: str) -> str:
    """Pages of one kind (two articles, two ideas) count once, so the crawl sees every kind."""
    return re.sub(r"/[^/]+/$", "/*/", path) if path.count("/") > 3 else path


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.getAttribute('href'))")
    return [href.split("#")[0].split("?")[0] for href in hrefs if href.startswith("/")]


def test_every_kind_of_page_in_every_locale_passes_axe_and_keeps_its_language(portal, full_demo):
    page = portal.page
    seen_shapes: set[str] = set()
    for prefix, lang in (("/de/", "de"), ("/en/", "en"), ("/de-ls/", "de")):
        queue, visited = [prefix], 0
        while queue and visited < PAGES_PER_LOCALE:
            path = queue.pop(0)
            if SKIPPED.search(path) or not path.startswith(prefix) or _shape(path) in seen_shapes:
                continue
            seen_shapes.add(_shape(path))
            response = portal.goto(path)
            visited += 1
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == lang, path
            if prefix == "/de-ls/":
                assert "easy-language" in (page.locator("html").get_attribute("class") or ""), path
            switcher = page.get_by_role("navigation", name=re.compile("Sprache|language", re.IGNORECASE))
            targets = switcher.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
            assert len(targets) == 3 and len(set(targets)) == 3, (path, targets)
            queue += [link for link in _links(page) if link not in queue]
        assert visited >= 8, f"the crawl of {prefix} reached only {visited} kinds of page"


def test_a_leichte_sprache_reader_reserves_a_rollator_without_leaving_leichte_sprache(portal, full_demo, morning):
    citizen = CitizenFactory(email="erna@example.org")
    portal.sign_in(citizen)
    page = portal.page
    portal.goto("/de-ls/")
    page.get_by_role("link", name="Sachen ausleihen").first.click()
    portal.axe()
    assert urlsplit(page.url).path == "/de-ls/verleih/"
    page.get_by_role("link", name=re.compile("Zeiten für Rollator")).first.click()
    portal.axe()
    assert urlsplit(page.url).path == "/de-ls/verleih/rollator/"

    page.get_by_role("button", name=re.compile(r"\d{2}:\d{2} Uhr reservieren")).first.click()
    page.wait_for_url(re.compile(r"/de-ls/verleih/reservierung/\d+/"))
    portal.axe()
    main = page.locator("main").inner_text()
    assert "Geheim-Zahl" in main, main
    assert re.fullmatch(r"\d{6}", page.locator(".pin").inner_text().strip())
    assert "easy-language" in page.locator("html").get_attribute("class")
    reservation = Reservation.objects.get(user=citizen)
    assert reservation.item.item_type.slug == "rollator"

    page.get_by_role("link", name="Zu Mein Konto").first.click()
    portal.axe()
    assert urlsplit(page.url).path.startswith("/de-ls/mein-konto/")


def test_a_citizen_finds_the_rollator_despite_a_typo(portal, full_demo):
    page = portal.page
    portal.goto("/de/")
    page.get_by_label("Suche").fill("Rolator")
    page.get_by_role("button", name="Suchen").click()
    portal.axe()
    assert "Meinten Sie:" in page.locator("main").inner_text()
    page.locator(".search-suggestion").get_by_role("link", name="Rollator").click()
    portal.axe()
    results = page.locator("ol.search-results > li > a")
    assert results.first.inner_text() == "Ausleihen"
    page.locator("ol.search-results").get_by_role("link", name="Rollator", exact=True).click()
    portal.axe()
    assert urlsplit(page.url).path == "/de/verleih/rollator/"

    portal.goto("/de-ls/suche/?q=Bollerwagen")
    assert page.locator("ol.search-results > li > a").first.get_attribute("href") == "/de-ls/verleih/"
