"""Every page type renders in German, English and Leichte Sprache."""

import re

import pytest

from wagtail.models import Locale

from home.demo import HOME_INTRO_EASY, HOME_INTRO_EN
from home.models import AccessibilityStatementPage, HomePage, StandardPage
from news.models import NewsIndexPage, NewsPage


@pytest.fixture
def demo(demo_site):
    return demo_site


def _translate_everything(code: str) -> None:
    from home.services import translation_save

    locale = Locale.objects.get(language_code=code)
    for model in (StandardPage, AccessibilityStatementPage, NewsIndexPage, NewsPage):
        for page in model.objects.filter(locale__language_code="de"):
            if page.get_translation_or_none(locale) is None:
                translation_save(instance=page, locale=locale, strings={})


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["de", "en", "de-ls"])
def test_every_page_type_renders_in_each_language(client, demo, code):
    if code != "de":
        _translate_everything(code)
    locale = Locale.objects.get(language_code=code)
    for model in (HomePage, StandardPage, AccessibilityStatementPage, NewsIndexPage, NewsPage):
        page = model.objects.live().filter(locale=locale).first()
        assert page is not None, f"no {model.__name__} in {code}"
        url = page.get_url()
        assert url.startswith(f"/{code}/"), url
        response = client.get(url)
        assert response.status_code == 200, f"{model.__name__} {url}"
        html = response.content.decode()
        expected_lang = "de" if code == "de-ls" else code
        assert f'<html lang="{expected_lang}"' in html
        # A title still in German on a Leichte Sprache page is marked (lang/data-easy-language).
        assert re.search(rf"<h1[^>]*>{re.escape(page.title)}", html), f"{model.__name__} {url}"


@pytest.mark.django_db
def test_home_page_in_each_language_shows_its_own_text(client, demo):
    assert HOME_INTRO_EN in client.get("/en/").content.decode()
    easy = client.get("/de-ls/").content.decode()
    assert HOME_INTRO_EASY in easy
    assert 'class="easy-language"' in easy


@pytest.mark.django_db
def test_header_links_to_leichte_sprache_version_of_the_home_page(client, demo):
    html = client.get("/de/").content.decode()
    assert 'class="easy-language" href="/de-ls/"' in html


@pytest.mark.django_db
def test_language_switch_links_to_translated_page(client, demo):
    page = NewsPage.objects.get(locale__language_code="de", title="Rollatoren jetzt im Stadtpark ausleihen")
    english = page.get_translation(Locale.objects.get(language_code="en"))
    html = client.get(page.get_url()).content.decode()
    assert f'href="{english.get_url()}" lang="en"' in html


@pytest.mark.django_db
def test_untranslated_page_links_to_the_other_languages_home(client, demo):
    page = NewsPage.objects.get(locale__language_code="de", title="Sommerfest im Stadtpark")
    html = client.get(page.get_url()).content.decode()
    assert 'href="/en/" lang="en"' in html


@pytest.mark.django_db
def test_accessibility_feedback_is_stored_and_emailed_to_staff(client, demo, mailoutbox):
    page = AccessibilityStatementPage.objects.get(locale__language_code="de")
    fields = {field.clean_name: field for field in page.form_fields.all()}
    data = dict.fromkeys(fields, "")
    data.update({"wo_ist_die_barriere": "Suche", "ihre_nachricht": "Der Knopf ist zu klein."})
    response = client.post(page.get_url(), data)
    assert response.status_code == 200
    assert "Danke für Ihre Nachricht" in response.content.decode()
    assert page.get_submission_class().objects.filter(page=page).count() == 1
    assert mailoutbox[-1].to == ["barrierefreiheit@norderstedt.de"]
    assert "Der Knopf ist zu klein." in mailoutbox[-1].body


@pytest.mark.django_db
def test_accessibility_feedback_without_required_fields_keeps_input_and_explains(client, demo):
    page = AccessibilityStatementPage.objects.get(locale__language_code="de")
    response = client.post(page.get_url(), {"ihr_name": "Erna"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Erna"' in html
    assert 'class="errorlist"' in html
    assert page.get_submission_class().objects.count() == 0


@pytest.mark.django_db
def test_robots_and_sitemap(client, demo):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap:" in robots
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert b"/de/nachrichten/" in sitemap.content


@pytest.mark.django_db
def test_leichte_sprache_pages_show_the_site_frame_in_leichte_sprache(client, demo):
    easy = client.get("/de-ls/").content.decode()
    assert ">Nachrichten aufs Handy</a>" in easy and ">Sachen ausleihen</a>" in easy
    assert ">Benachrichtigungen</a>" not in easy
    german = client.get("/de/").content.decode()
    assert ">Benachrichtigungen</a>" in german and "Nachrichten aufs Handy" not in german
