"""News lists, topic filters, feeds and search."""

import xml.etree.ElementTree as ET

import pytest

from tests.factories.news import NewsPageFactory, news_index_create
from tests.factories.notifications import TopicFactory

ATOM = "{http://www.w3.org/2005/Atom}"


def _news_pages(home):
    index = news_index_create(parent=home)
    park = TopicFactory(name="Stadtpark", slug="stadtpark")
    traffic = TopicFactory(name="Verkehr & Baustellen", slug="verkehr-baustellen")
    NewsPageFactory(parent=index, title="Konzert im Park", topics=[park])
    NewsPageFactory(parent=index, title="Neue Ampel", topics=[traffic])
    NewsPageFactory(parent=index, title="Entwurf", topics=[park], publish=False)
    return index


@pytest.fixture(name="news")
def news_fixture(home):
    return _news_pages(home)


@pytest.mark.django_db
def test_news_index_filters_by_topic(client, news):
    html = client.get(f"{news.url}?thema=stadtpark").content.decode()
    assert "Konzert im Park" in html
    assert "Neue Ampel" not in html
    assert "Entwurf" not in html


@pytest.mark.django_db
def test_unknown_topic_explains_and_shows_everything(client, news):
    html = client.get(f"{news.url}?thema=gibt-es-nicht").content.decode()
    assert "Dieses Thema gibt es nicht" in html
    assert "Konzert im Park" in html and "Neue Ampel" in html


@pytest.mark.django_db
def test_news_index_paginates_and_survives_bad_page_numbers(client, home):
    index = news_index_create(parent=home)
    for number in range(12):
        NewsPageFactory(parent=index, title=f"Meldung {number}")
    first = client.get(index.url).content.decode()
    assert "Seite 1 von 2" in first
    assert client.get(f"{index.url}?seite=abc").status_code == 200
    assert "Seite 2 von 2" in client.get(f"{index.url}?seite=999").content.decode()


@pytest.mark.django_db
def test_rss_feed_lists_published_news(client, news):
    response = client.get("/de/feeds/nachrichten.rss")
    assert response["Content-Type"].startswith("application/rss+xml")
    titles = [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]
    assert set(titles) == {"Konzert im Park", "Neue Ampel"}


@pytest.mark.django_db
def test_topic_atom_feed_lists_only_that_topic(client, news):
    response = client.get("/de/feeds/nachrichten/verkehr-baustellen.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = [entry.findtext(f"{ATOM}title") for entry in ET.fromstring(response.content).iter(f"{ATOM}entry")]
    assert titles == ["Neue Ampel"]


@pytest.mark.django_db
def test_feed_for_unknown_topic_is_not_found(client, news):
    assert client.get("/de/feeds/nachrichten/gibt-es-nicht.rss").status_code == 404


@pytest.mark.django_db
def test_search_finds_published_news_only(client, home, django_capture_on_commit_callbacks):
    # The search index is written by tasks after commit (home.signals), as in production.
    with django_capture_on_commit_callbacks(execute=True):
        _news_pages(home)
    html = client.get("/de/suche/", {"q": "Konzert"}).content.decode()
    assert "Konzert im Park" in html
    draft_search = client.get("/de/suche/", {"q": "Entwurf"}).content.decode()
    assert "0 Ergebnisse" in draft_search
    assert ">Entwurf</a>" not in draft_search


@pytest.mark.django_db
def test_search_without_results_suggests_another_word(client, news):
    html = client.get("/de/suche/", {"q": "Zzzyxw"}).content.decode()
    assert "nehmen Sie ein anderes Wort" in html
