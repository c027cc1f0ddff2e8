"""Citizen flows of the foundation, end to end in chromium, axe on every page."""

import re

import pytest

from django.core import mail

pytestmark = pytest.mark.browser


def test_reader_goes_from_home_to_article_switches_language_and_searches(portal, demo_site):
    page = portal.page
    portal.goto("/de/")
    assert page.locator("h1").inner_text() == "Willkommen in Norderstedt"

    page.get_by_role("navigation", name="Hauptmenü").get_by_role("link", name="Nachrichten").click()
    portal.axe()
    assert page.locator("h1").inner_text().startswith("Nachrichten")

    page.get_by_role("link", name="Stadtpark", exact=True).first.click()
    portal.axe()
    assert "thema=stadtpark" in page.url
    page.get_by_role("link", name="Rollatoren jetzt im Stadtpark ausleihen").click()
    portal.axe()
    assert page.locator("h1").inner_text() == "Rollatoren jetzt im Stadtpark ausleihen"

    page.get_by_role("navigation", name="Sprache wählen").get_by_role("link", name="English").click()
    portal.axe()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Borrow walkers in the Stadtpark"

    page.get_by_role("link", name=re.compile("Leichte Sprache")).click()
    portal.axe()
    # The article has a Leichte Sprache version, so the switcher leads to it, not to the home page.
    assert page.url.endswith("/de-ls/nachrichten/rollatoren-jetzt-im-stadtpark-ausleihen/")
    assert page.locator("h1").inner_text() == "Rollatoren im Stadt-Park ausleihen"
    assert "Im Stadt-Park können Sie jetzt Sachen ausleihen" in page.locator("main").inner_text()

    page.get_by_role("link", name="Deutsch").click()
    portal.axe()
    page.get_by_label("Suche").fill("Bollerwagen")
    page.get_by_role("button", name="Suchen").click()
    portal.axe()
    assert page.get_by_role("link", name="Rollatoren jetzt im Stadtpark ausleihen").is_visible()


def test_citizen_signs_in_with_code_by_keyboard(portal, demo_site):
    from tests.factories.accounts import CitizenFactory

    CitizenFactory(email="berta@example.org")
    page = portal.page
    portal.goto("/de/")
    page.get_by_role("link", name="Anmelden").click()
    portal.axe()
    page.get_by_label("E-Mail").fill("berta@example.org")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/konto/login/code/confirm/"))
    portal.axe()

    code = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    page.get_by_label("Code").fill(code)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/mein-konto/"))
    portal.axe()
    assert page.locator("h1").inner_text() == "Mein Konto"
    assert "berta@example.org" in page.locator("main").inner_text()


def test_axe_check_reports_a_real_violation(portal, demo_site):
    """Control for the harness: an image without alt text must be caught."""
    portal.goto("/de/")
    portal.page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    portal.axe()
    found = list(portal.violations)
    portal.violations.clear()
    assert any("image-alt" in violation for violation in found), found


def test_pages_reflow_at_320_pixels_without_horizontal_scrolling(portal, demo_site):
    """WCAG 1.4.10 Reflow: content fits a 320 CSS pixel wide viewport."""
    portal.page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/de/", "/de/nachrichten/", "/de/barrierefreiheit/", "/de/konto/login/code/"):
        portal.goto(path)
        overflow = portal.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"


def test_keyboard_user_reaches_content_with_the_skip_link(portal, demo_site):
    portal.goto("/de/")
    portal.page.keyboard.press("Tab")
    focused = portal.page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Zum Inhalt springen"
    portal.page.keyboard.press("Enter")
    assert portal.page.evaluate("document.activeElement.id") == "main"
