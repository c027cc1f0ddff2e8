"""The site search finds the services, courses, things to borrow, ideas and pages a citizen
looks for: German stems, typos and everyday words, in each language, services first.

The same tests run on SQLite (the fallback) and, in the second CI run, on PostgreSQL (full-text
search with the German dictionary and trigram similarity)."""

import re
from html import unescape

import pytest

from home.models import SearchEntry
from home.search import site_search
from home.search_index import search_index_rebuild

pytestmark = pytest.mark.django_db


def results(client, query: str, language: str = "de") -> list[str]:
    """The result addresses, best first."""
    response = client.get(f"/{language}/suche/", {"q": query})
    assert response.status_code == 200
    listing = re.search(r'<ol class="search-results">(.*?)</ol>', response.content.decode(), re.S)
    return re.findall(r'<li><a href="([^"]+)"', listing.group(1)) if listing else []


# What citizens type, what must come first, and what must be among the first six.
SERVICE_QUERIES = [
    ("Rollator", "/de/verleih/", "/de/verleih/rollator/"),
    ("Rollatoren", "/de/verleih/", "/de/verleih/rollator/"),
    ("Bollerwagen", "/de/verleih/", "/de/verleih/bollerwagen/"),
    ("Schließfach", "/de/verleih/", "/de/projekte/schliessfaecher-im-stadtpark/"),
    ("Kurs", "/de/digitalakademie/", "/de/digitalakademie/smartphone-grundlagen/"),
    ("Kurse", "/de/digitalakademie/", "/de/digitalakademie/smartphone-grundlagen/"),
    ("Idee", "/de/ideenspeicher/", "/de/ideen/"),
    ("Benachrichtigung", "/de/benachrichtigungen/", None),
    ("Rolli", "/de/verleih/", "/de/verleih/rollator/"),
    ("Rolator", "/de/verleih/", "/de/verleih/rollator/"),
]


def test_what_citizens_search_for_is_found_services_first(client, full_demo):
    """One demo for many queries: seeding it costs seconds, the queries milliseconds."""
    for query, first, also in SERVICE_QUERIES:
        found = results(client, query)
        assert found, query
        assert found[0] == first, (query, found)
        if also:
            assert any(url.startswith(also) for url in found[:6]), (query, found)
    assert "/de/verleih/bollerwagen/" in results(client, "Bollerwagen")[:2]

    html = client.get("/de/suche/", {"q": "Rolator"}).content.decode()
    assert "/de/verleih/rollator/" in results(client, "Rolator")[:3]
    assert '<p class="search-suggestion">Meinten Sie:' in html
    assert '<a href="?q=Rollator">Rollator</a>' in html

    from academy.models import Session

    session = Session.objects.select_related("location").filter(status=Session.Status.SCHEDULED).first()
    place = max(session.location.name.split(), key=len)
    found = results(client, place)
    assert any(url.startswith("/de/digitalakademie/") and url != "/de/digitalakademie/" for url in found), (
        place,
        found,
    )

    both = results(client, "Smartphone Kurs")
    assert "/de/digitalakademie/smartphone-grundlagen/" in both[:2], both
    assert "/de/verleih/" not in both


def test_nothing_found_offers_the_closest_words_and_every_service(client, full_demo):
    html = client.get("/de/suche/", {"q": "Bolerwagn"}).content.decode()
    assert "Meinten Sie:" in html
    assert ">Bollerwagen</a>" in html
    empty = client.get("/de/suche/", {"q": "Quantenphysik"}).content.decode()
    assert "0 Ergebnisse" in empty
    assert "Meinten Sie:" not in empty
    assert "Prüfen Sie die Schreibweise" in empty
    for address in ("/de/verleih/", "/de/digitalakademie/", "/de/ideenspeicher/", "/de/benachrichtigungen/"):
        assert f'href="{address}"' in empty, address

    for query in ('"', "Rollator & | ! :*", "(Bollerwagen", "x" * 500, "ß", "-"):
        assert client.get("/de/suche/", {"q": query}).status_code == 200, query
    assert "/de/verleih/rollator/" in results(client, "Rollator:* & !")


def test_each_language_searches_its_own_words_and_addresses(client, full_demo, django_assert_max_num_queries):
    from ideas.models import Idea, IdeaStatus

    assert "/en/verleih/rollator/" in results(client, "walker", "en")
    assert results(client, "Borrow", "en")[0] == "/en/verleih/"
    easy = results(client, "Rollator", "de-ls")
    assert easy[0] == "/de-ls/verleih/"
    assert "/de-ls/nachrichten/rollatoren-jetzt-im-stadtpark-ausleihen/" in easy

    idea = Idea.objects.filter(status=IdeaStatus.PUBLISHED).first()
    html = unescape(client.get("/en/suche/", {"q": idea.title}).content.decode())
    assert re.search(rf'<a href="/en/ideen/{idea.pk}/" lang="de">{re.escape(idea.title)}</a>', html)

    with django_assert_max_num_queries(16):
        client.get("/de/suche/", {"q": "Rolator Stadtpark"})


# --- Freshness: what editors and staff change is found after commit ------------------------


def test_a_published_article_is_found_and_an_unpublished_one_is_not(demo_site, django_capture_on_commit_callbacks):
    from news.models import NewsIndexPage
    from tests.factories.news import NewsPageFactory

    index = NewsIndexPage.objects.get(locale__language_code="de")
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=index, title="Laternenumzug im Stadtpark", slug="laternenumzug")
    found = site_search(query="Laternenumzug", language="de").page.object_list
    assert [entry.url for entry in found] == [page.get_url()]

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert site_search(query="Laternenumzug", language="de").page.paginator.count == 0


def test_a_changed_item_type_is_found_by_its_new_words(demo_site, django_capture_on_commit_callbacks):
    from tests.factories.rentals import ItemTypeFactory

    with django_capture_on_commit_callbacks(execute=True):
        wagon = ItemTypeFactory(name="Bollerwagen", slug="bollerwagen")
    assert [entry.url for entry in site_search(query="Bollerwagen", language="de").page][:2] == [
        "/de/verleih/",
        "/de/verleih/bollerwagen/",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        wagon.description = "Mit Sonnendach und Getränkehalter."
        wagon.save()
    found = site_search(query="Sonnendach", language="de").page.object_list
    assert [entry.url for entry in found] == ["/de/verleih/bollerwagen/"]


def test_an_idea_is_found_once_moderated_and_no_longer_once_merged(demo_site, django_capture_on_commit_callbacks):
    from ideas.models import IdeaStatus
    from ideas.services.submission import idea_merge, idea_publish
    from tests.factories.ideas import IdeaFactory, UserFactory

    moderator = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = IdeaFactory(title="Trinkbrunnen am Rathausmarkt", status=IdeaStatus.SUBMITTED, published_at=None)
        shown = IdeaFactory(title="Trinkbrunnen im Stadtpark")
    assert [entry.url for entry in site_search(query="Trinkbrunnen", language="de").page] == [f"/de/ideen/{shown.pk}/"]

    with django_capture_on_commit_callbacks(execute=True):
        idea_publish(idea=waiting, actor=moderator)
    assert site_search(query="Trinkbrunnen", language="de").page.paginator.count == 2

    with django_capture_on_commit_callbacks(execute=True):
        idea_merge(source=shown, target=waiting, actor=moderator)
    assert [entry.url for entry in site_search(query="Trinkbrunnen", language="de").page] == [
        f"/de/ideen/{waiting.pk}/"
    ]
    assert not SearchEntry.objects.filter(key=f"idea:{shown.pk}").exists()


def test_the_rebuild_is_idempotent(demo_site):
    first = search_index_rebuild()
    assert search_index_rebuild() == first == SearchEntry.objects.count()
    assert set(SearchEntry.objects.values_list("language", flat=True)) == {"de", "en", "de-ls"}
