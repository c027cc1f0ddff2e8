"""Parts of a translated page that wagtail-localize still shows in German say so with lang="de" (WCAG 3.1.2)."""

import pytest

from django.core.management import call_command

from wagtail.models import Locale

from home.services import translation_save
from news.models import NewsPage


@pytest.mark.django_db
def test_an_untranslated_paragraph_of_an_english_article_is_marked_german(client, settings):
    settings.DEMO_SIGN_INS_VISIBLE = False
    call_command("seed_demo")
    source = NewsPage.objects.get(locale__language_code="de", title="Sommerfest im Stadtpark")
    # The title and teaser get English; the body paragraph stays German.
    english = translation_save(
        instance=source,
        locale=Locale.objects.get(language_code="en"),
        strings={source.title: "Summer party in the Stadtpark", source.teaser: "Music, games and food."},
    )
    main = client.get(english.url).content.decode().split("<main", 1)[1].replace("\n", "")
    assert "<h1>Summer party in the Stadtpark</h1>" in main
    assert '<p class="lead">Music, games and food.</p>' in main
    article = main.split("<article>", 1)[1].split("</article>", 1)[0]
    assert '<div lang="de"><div class="rich-text"><p>Musik, Spiele und Essen' in article, article


@pytest.mark.django_db
def test_a_fully_translated_or_german_page_has_no_marks(client, settings):
    settings.DEMO_SIGN_INS_VISIBLE = False
    call_command("seed_demo")
    german = NewsPage.objects.get(locale__language_code="de", title="Rollatoren jetzt im Stadtpark ausleihen")
    english = german.get_translation(Locale.objects.get(language_code="en"))
    for page in (german, english):
        assert ' lang="de"' not in client.get(page.url).content.decode().split("<main", 1)[1], page.url
