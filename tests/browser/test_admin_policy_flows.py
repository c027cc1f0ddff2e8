"""Staff work in the Wagtail admin under the portal's Content-Security-Policy.

The harness (conftest.py) fails a test on any CSP violation; this walk takes an
administrator through the screens with the most scripts and styles: sign-in, a news
page's editor with its preview and image chooser, an image's focal point, and the
rentals, academy, ideas, locker and campaign screens.
"""

import re

import pytest
from playwright.sync_api import expect

from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from news.models import NewsPage

pytestmark = pytest.mark.browser

ADMIN_EMAIL = "admin@demo.norderstedt.de"
ADMIN_PASSWORD = "demo-admin-2026"
# Wagtail's rich-text editor (Draftail), its chooser modal and its tag field carry serious axe
# findings of their own (an unnamed contenteditable, an unnamed dialog, an unlabelled tag input);
# they are upstream markup, and the portal's own admin screens are checked in full.
# Wagtail's own editor pieces; "[data-tippy-root]" is its tooltip, which axe may catch while it
# fades in (half-transparent text measures as low contrast).
WAGTAIL_EDITOR_WIDGETS = (".notranslate", ".modal", ".ui-autocomplete-input", "[data-tippy-root]")


def admin_settled(page) -> None:
    """Wagtail fades its messages in; axe checks their contrast once they are fully shown.
    Waits with ``expect``, not ``wait_for_function``: the admin's policy forbids the string
    evaluation that the latter polls with."""
    page.wait_for_load_state("load")
    messages = page.locator(".messages > ul")
    if messages.count():
        expect(messages).to_have_css("opacity", "1")


def sign_in_to_admin(portal) -> None:
    page = portal.page
    portal.goto("/admin/login/")
    page.locator("#id_username").fill(ADMIN_EMAIL.split("@")[0])
    page.locator("#id_password").fill(ADMIN_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    admin_settled(page)
    portal.axe()


def test_administrator_edits_a_news_page_and_chooses_an_image_without_policy_violations(portal, full_demo):
    page = portal.page
    image = Image.objects.create(title="Stadtpark im Frühling", file=get_test_image_file())
    news = NewsPage.objects.live().first()

    sign_in_to_admin(portal)
    page.goto(portal.url(f"/admin/pages/{news.pk}/edit/"))
    admin_settled(page)
    portal.axe(exclude=WAGTAIL_EDITOR_WIDGETS)
    page.get_by_role("button", name=re.compile("Bild auswählen")).first.click()
    page.get_by_role("dialog").get_by_role("link", name=image.title).wait_for()
    portal.axe(exclude=WAGTAIL_EDITOR_WIDGETS)
    page.get_by_role("dialog").get_by_role("link", name=image.title).click()
    page.get_by_role("dialog").wait_for(state="hidden")
    page.locator("#id_image_alt").fill("Blühende Kirschbäume am Teich")
    page.locator('[data-side-panel-toggle="preview"]').click()
    page.frame_locator("iframe.w-preview__iframe").last.locator("main").wait_for()
    portal.axe(exclude=WAGTAIL_EDITOR_WIDGETS)

    page.goto(portal.url(f"/admin/images/{image.pk}/"))
    admin_settled(page)
    # The focal-point tool starts once its image has loaded or failed to (media are not served here).
    page.locator(".focal-point-chooser").wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    portal.axe(exclude=WAGTAIL_EDITOR_WIDGETS)


DOMAIN_SCREENS = [
    "/admin/verleih/",
    "/admin/verleih/reservierungen/",
    "/admin/verleih/buchen/",
    "/admin/verleih/gegenstaende/",
    "/admin/verleih/nutzung/",
    "/admin/akademie/",
    "/admin/akademie/anrufliste/",
    "/admin/ideen/",
    "/admin/ideen/moderation/",
    "/admin/schliessfaecher/",
    "/admin/reports/versaende/",
    "/django-admin/",
]


def test_administrator_opens_the_domain_screens_without_policy_violations(portal, full_demo):
    from academy.models import Session
    from ideas.models import EvaluationRound

    session = Session.objects.order_by("pk").first()
    evaluation_round = EvaluationRound.objects.order_by("pk").first()
    screens = [
        *DOMAIN_SCREENS,
        f"/admin/akademie/termine/{session.pk}/",
        f"/admin/akademie/termine/{session.pk}/anwesenheit/",
        f"/admin/ideen/runden/{evaluation_round.pk}/",
    ]
    sign_in_to_admin(portal)
    for path in screens:
        response = portal.page.goto(portal.url(path))
        admin_settled(portal.page)
        portal.axe()
        assert response.status == 200, path


def test_editor_sees_a_public_page_with_the_wagtail_userbar_without_policy_violations(portal, full_demo):
    """Signed-in staff get Wagtail's userbar on public pages, which run the public policy."""
    news = NewsPage.objects.live().first()
    sign_in_to_admin(portal)
    portal.goto(news.url)
    portal.page.locator("wagtail-userbar").wait_for(state="attached")
    portal.page.locator("wagtail-userbar").get_by_role("button").first.click()
    portal.axe()


def test_editor_starts_a_translation_in_wagtail_localize_without_policy_violations(portal, full_demo):
    """wagtail-localize's submit form and its translation editor have inline scripts of their own."""
    from django.urls import reverse

    from wagtail.models import Locale

    page = portal.page
    english = Locale.objects.get(language_code="en")
    news = next(item for item in NewsPage.objects.live() if item.get_translation_or_none(english) is None)
    sign_in_to_admin(portal)
    portal.goto(reverse("wagtail_localize:submit_page_translation", args=[news.pk]))
    page.locator('[name="select_all"]').check()
    expect(page.locator('[name="locales"]').first).to_be_checked()
    page.locator('form:has([name="select_all"]) [type=submit]').click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    admin_settled(page)
    portal.axe()
    translation = news.get_translation(english)
    page.goto(portal.url(f"/admin/pages/{translation.pk}/edit/"))
    page.locator(".js-translation-editor *").first.wait_for()
    admin_settled(page)
    # wagtail-localize's React editor has axe findings of its own (contrast, an unlabelled upload).
    portal.axe(exclude=(".js-translation-editor",))
