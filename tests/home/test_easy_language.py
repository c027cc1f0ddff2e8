"""Leichte Sprache passes the rules a program can check: the de_LS catalogue and every de-ls page."""

import re
from pathlib import Path

import polib
import pytest

from django.core.management import call_command

from wagtail.models import Page

from home.easy_language import check, easy_language_parts

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Bitte schalten Sie Push im Browser ein.", "Push"),
        ("Die Eilmeldung kommt sofort.", "Wichtige Nachricht"),
        ("Das ist z. B. ein Rollator.", "Abkürzung"),
        ("Die Regeln stehen in der BITV.", "Abkürzung"),
        ("Die Reservierung wird storniert werden.", "Passiv"),
        (
            "Dies ist ein Satz mit viel zu vielen Wörtern, weil er immer weiter geht und nicht endet und endet.",
            "Wörtern",
        ),
    ],
)
def test_the_check_reports_each_rule_with_the_sentence(text, problem):
    findings = check(text)
    assert any(problem in finding.problem for finding in findings), findings
    assert all(finding.sentence in text for finding in findings)


def test_text_marked_as_not_leichte_sprache_is_left_out_of_the_check():
    html = (
        '<h2>Ideen</h2><p data-easy-language="no">Mehr <b>WLAN</b><br>im Park</p>'
        '<img data-easy-language="no" alt=""><p>Gut.</p>'
    )
    assert easy_language_parts(html) == "<h2>Ideen</h2><p>Gut.</p>"
    assert check(html) != [] and check(easy_language_parts(html)) == []


def test_plain_leichte_sprache_passes():
    assert check("<h2>Sachen ausleihen</h2><p>Sie können einen Rollator ausleihen. Das kostet nichts.</p>") == []
    assert check("Norderstedt GO! hilft Ihnen.") == []


def test_every_leichte_sprache_string_passes():
    catalogue = polib.pofile(str(ROOT / "locale" / "de_LS" / "LC_MESSAGES" / "django.po"))
    findings = [f"{entry.msgid!r}: {finding}" for entry in catalogue for finding in check(entry.msgstr)]
    assert findings == [], "\n".join(findings)


def _main_text(html: str) -> str:
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return easy_language_parts(re.sub(r"<(script|style)\b.*?</\1>", "", main, flags=re.S).split(">", 1)[1])


def _easy_service_urls() -> list[str]:
    """The citizen services that are Django views, not pages, as a Leichte Sprache reader reaches them."""
    from ideas.models import Idea
    from rentals.models import ItemType

    item_type = ItemType.objects.order_by("pk").first()
    idea = Idea.objects.filter(published_at__isnull=False).order_by("pk").first()
    return [
        "/de-ls/verleih/",
        f"/de-ls/verleih/{item_type.slug}/",
        "/de-ls/benachrichtigungen/",
        f"/de-ls/ideen/{idea.pk}/",
        "/de-ls/konto/login/code/",
        "/de-ls/suche/?q=Rollator",
    ]


@pytest.mark.django_db
def test_every_leichte_sprache_page_of_the_demo_passes(client, settings):
    settings.DEMO_SIGN_INS_VISIBLE = False
    call_command("seed_demo")
    pages = list(Page.objects.live().filter(locale__language_code="de-ls"))
    # Home, the legal pages, news, academy, ideas and projects, with articles and courses.
    assert {type(page.specific).__name__ for page in pages} >= {
        "HomePage",
        "AccessibilityStatementPage",
        "NewsIndexPage",
        "NewsPage",
        "AcademyIndexPage",
        "CoursePage",
        "IdeaIndexPage",
        "ProjectIndexPage",
    }
    findings = []
    for url in [page.url for page in pages] + _easy_service_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        findings += [f"{url}: {finding}" for finding in check(_main_text(response.content.decode()))]
    assert findings == [], "\n".join(findings)


@pytest.mark.django_db
def test_the_leichte_sprache_home_page_links_every_service(client, settings):
    settings.DEMO_SIGN_INS_VISIBLE = False
    call_command("seed_demo")
    main = _main_text(client.get("/de-ls/").content.decode())
    for href in (
        "/de-ls/verleih/",
        "/de-ls/digitalakademie/",
        "/de-ls/ideenspeicher/",
        "/de-ls/nachrichten/",
        "/de-ls/benachrichtigungen/",
        "/de-ls/mein-konto/",
        "/de-ls/digitalakademie/smartphone-grundlagen/",
    ):
        assert f'href="{href}"' in main, href
    assert "Informationen in Gebärden-Sprache" in main
    assert "Hier kommt bald ein Video in Gebärden-Sprache." in main


@pytest.mark.django_db
def test_editors_see_the_check_as_a_warning_in_the_translation_editor(client, settings):
    from django.contrib.auth import get_user_model

    from home.models import StandardPage

    settings.DEMO_SIGN_INS_VISIBLE = False
    call_command("seed_demo")
    page = StandardPage.objects.get(locale__language_code="de-ls", slug="datenschutz")
    page.intro = "Schalten Sie Push im Browser ein."
    page.save_revision()
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Stellen bitte prüfen" in text or "Stelle bitte prüfen" in text, text[:400]
    assert "„Browser“ ist kein Wort für Leichte Sprache" in text


# Strings that appear in citizen-facing files but only staff ever see: the trainer's and the
# intake's forms share a module with the citizen's, and the staff search box sits in rentals.
STAFF_ONLY = {
    "Nachricht an alle Teilnehmenden",
    "Notiz",
    "Beginn",
    "Ende",
    "Plätze",
    "Betreff",
    "Nachricht",
    "Eingang",
    "E-Mail-Adresse der Person (freiwillig)",
    "Hat die Person ein Konto, erhält sie Nachrichten zu ihrer Idee.",
    "Zu dieser Adresse gibt es kein Konto. Lassen Sie das Feld leer.",
    "Grund (die Person liest ihn)",
    "Zusammenführen mit",
    "Arbeitskreis",
    "Titel der Runde",
    "Frist",
    "Ideen",
    "Grund der Befangenheit (nur intern)",
    "Entscheidung",
    "Öffentliche Begründung",
    "Wartung bis (storniert betroffene Reservierungen)",
    "alle",
    "Name, Telefon oder Nummer",
    "Ein Termin braucht mindestens einen Platz.",
    "Die Schlüssel sind die Nummern der Kriterien.",
}
STAFF_FILES = (
    "/admin/",
    "admin_",
    "/models/",
    "models.py",
    "wagtail_hooks",
    "simulator",
    "trainer",
    "round_matrix",
    "locker_bridge/",
)
CITIZEN_MODULES = (
    "views.py",
    "forms.py",
    "api.py",
    "adapter.py",
    "selectors.py",
    "messages.py",
    "notices.py",
    "confirmation.py",
    "reservations.py",
    "registrations.py",
    "subscriptions.py",
    "email.py",
    "errors.py",
)


def _is_citizen_facing(path: str) -> bool:
    if any(part in path for part in STAFF_FILES):
        return False
    return "/templates/" in path or path.endswith(CITIZEN_MODULES)


def test_every_string_a_citizen_reads_has_leichte_sprache():
    """The English catalogue lists each msgid with the files it comes from (makemessages keeps it current)."""
    english = polib.pofile(str(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    easy = polib.pofile(str(ROOT / "locale" / "de_LS" / "LC_MESSAGES" / "django.po"))
    translated = {(entry.msgctxt, entry.msgid) for entry in easy if entry.translated()}
    missing = [
        f"{entry.occurrences[0][0]}: {entry.msgid}"
        for entry in english
        if not entry.obsolete
        and entry.msgid not in STAFF_ONLY
        and any(_is_citizen_facing(path) for path, _line in entry.occurrences)
        and (entry.msgctxt, entry.msgid) not in translated
    ]
    assert missing == [], "\n".join(missing)


def test_the_coverage_rule_sees_citizen_files_and_skips_staff_files():
    assert _is_citizen_facing("rentals/templates/rentals/item_type.html")
    assert _is_citizen_facing("academy/services/registrations.py")
    assert not _is_citizen_facing("rentals/templates/rentals/admin/pin_sheet.html")
    assert not _is_citizen_facing("academy/admin_views.py")
