"""German text standing in for a missing translation is marked lang="de" (WCAG 3.1.2)."""

import re

import pytest

from wagtail.models import Locale

from tests.factories.rentals import ItemFactory, ItemTypeFactory

pytestmark = pytest.mark.django_db


def _heading(html: str, name: str) -> str:
    return re.search(rf"<h[13][^>]*>(?:<a[^>]*>)?{name}", html).group(0)


def test_an_item_without_an_english_text_is_marked_german_on_english_pages(client, home):
    item_type = ItemTypeFactory(name="Bollerwagen", slug="bollerwagen", description="Zieht sich leicht.")
    ItemFactory(item_type=item_type)
    index = client.get("/en/verleih/").content.decode()
    assert 'lang="de"' in _heading(index, "Bollerwagen")
    assert '<p lang="de">Zieht sich leicht.</p>' in index
    detail = client.get("/en/verleih/bollerwagen/").content.decode()
    assert '<h1 lang="de">Bollerwagen</h1>' in detail
    german = client.get("/de/verleih/").content.decode()
    assert "lang=" not in _heading(german, "Bollerwagen")


def test_a_translated_item_is_not_marked(client, home):
    item_type = ItemTypeFactory(name="Bollerwagen", slug="bollerwagen", description="Zieht sich leicht.")
    ItemFactory(item_type=item_type)
    english = item_type.copy_for_translation(Locale.objects.get(language_code="en"))
    english.name, english.description = "Handcart", "Pulls easily."
    english.save()
    index = client.get("/en/verleih/").content.decode()
    assert "lang=" not in _heading(index, "Handcart")
    assert "<p>Pulls easily.</p>" in index
