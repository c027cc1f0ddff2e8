"""Leichte Sprache passes the rules a program can check: the de_LS catalogue and every de-ls page."""

import re
from pathlib import Path

import polib
import pytest

from django.core.management import call_command

from wagtail.models import Page

from home.easy_language import check

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


def test_plain_leichte_sprache_passes():
    assert check("<h2>Sachen ausleihen</h2><p>Sie können einen Rollator ausleihen. Das kostet nichts.</p>") == []
    assert check("Norderstedt GO! hilft Ihnen.") == []


def test_every_leichte_sprache_string_passes():
    catalogue = polib.pofile(str(ROOT / "locale" / "de_LS" / "LC_MESSAGES" / "django.po"))
    findings = [f"{entry.msgid!r}: {finding}" for entry in catalogue for finding in check(entry.msgstr)]
    assert findings == [], "\n".join(findings)


@pytest.mark.django_db
def test_every_leichte_sprache_page_of_the_demo_passes(client, settings):
    settings.DEMO_SIGN_INS_VISIBLE = False
    call_command("seed_demo")
    pages = list(Page.objects.live().filter(locale__language_code="de-ls"))
    assert len(pages) >= 4
    findings = []
    for page in pages:
        html = client.get(page.url).content.decode()
        main = re.sub(r"<(script|style)\b.*?</\1>", "", html.split("<main", 1)[1].split("</main>", 1)[0], flags=re.S)
        findings += [f"{page.url}: {finding}" for finding in check(main.split(">", 1)[1])]
    assert findings == [], "\n".join(findings)


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
