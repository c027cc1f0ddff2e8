"""The wagtail-localize translate and sync flow, as editors use it."""

import pytest

from home.services import translation_save
from tests.factories.news import NewsPageFactory, news_index_create
from tests.factories.notifications import TopicFactory


@pytest.fixture
def english(locales):
    return locales["en"]


@pytest.mark.django_db
def test_translating_a_news_page_creates_a_live_english_page_in_the_english_tree(home, english):
    index = news_index_create(parent=home)
    page = NewsPageFactory(parent=index, title="Straßenfest", teaser="Am Samstag wird gefeiert.")
    translated = translation_save(
        instance=page,
        locale=english,
        strings={"Straßenfest": "Street party", "Am Samstag wird gefeiert.": "Party on Saturday."},
    )
    assert translated.live
    assert translated.locale == english
    assert translated.title == "Street party"
    assert translated.teaser == "Party on Saturday."
    assert translated.get_parent().locale == english
    assert translated.translation_key == page.translation_key


@pytest.mark.django_db
def test_sync_brings_source_changes_into_the_translation(home, english):
    index = news_index_create(parent=home)
    page = NewsPageFactory(parent=index, title="Markt", teaser="Der Markt ist am Montag.")
    translation_save(instance=page, locale=english, strings={"Markt": "Market"})

    page.teaser = "Der Markt ist am Dienstag."
    page.save_revision().publish()
    synced = translation_save(
        instance=page, locale=english, strings={"Der Markt ist am Dienstag.": "Market is on Tuesday."}
    )

    assert synced.title == "Market"
    assert synced.teaser == "Market is on Tuesday."


@pytest.mark.django_db
def test_untranslated_strings_fall_back_to_german(home, english):
    index = news_index_create(parent=home)
    page = NewsPageFactory(parent=index, title="Bürgersprechstunde", teaser="Jeden Mittwoch.")
    translated = translation_save(instance=page, locale=english, strings={})
    assert translated.title == "Bürgersprechstunde"


@pytest.mark.django_db
def test_leichte_sprache_is_created_like_a_translation(home, locales):
    easy = locales["de-ls"]
    translated = translation_save(instance=home, locale=easy, strings={"Willkommen in Norderstedt": "Willkommen"})
    assert translated.locale.language_code == "de-ls"
    assert translated.get_url().startswith("/de-ls/")


@pytest.mark.django_db
def test_topics_are_translatable_snippets(locales):
    topic = TopicFactory(name="Stadtpark", slug="stadtpark")
    translated = translation_save(instance=topic, locale=locales["en"], strings={"Stadtpark": "City park"})
    assert translated.name == "City park"
    assert translated.slug == "stadtpark"
    assert translated.locale == locales["en"]


@pytest.mark.django_db(transaction=True)
def test_editor_translates_and_syncs_through_the_admin(client, home, staff_groups, locales):
    """Redaktion uses wagtail-localize's admin views: submit, then update ("sync")."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from wagtail_localize.models import TranslationSource

    editor = get_user_model().objects.create_user("rita", "rita@example.org", "pw", is_staff=True)
    editor.groups.add(staff_groups["Redaktion"])
    client.force_login(editor)
    index = news_index_create(parent=home)
    page = NewsPageFactory(parent=index, title="Baustelle Ohechaussee", teaser="Ab Montag gesperrt.")

    response = client.post(
        reverse("wagtail_localize:submit_page_translation", args=[home.id]),
        {"locales": [locales["en"].id], "include_subtree": "on"},
    )
    assert response.status_code == 302
    english = page.get_translation(locales["en"])
    assert english.title == "Baustelle Ohechaussee"

    page.teaser = "Ab Dienstag gesperrt."
    page.save_revision().publish()
    source = TranslationSource.objects.get_for_instance(page)
    response = client.post(
        reverse("wagtail_localize:update_translations", args=[source.id]), {"publish_translations": "on"}
    )
    assert response.status_code == 302
    english.refresh_from_db()
    assert english.teaser == "Ab Dienstag gesperrt."
    assert english.live
