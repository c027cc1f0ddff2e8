"""The project's German texts never pick up another catalogue's translation, and date inputs carry ISO values.

German is the source language, so the project has no German catalogue: a German
msgid is looked up in Django's and every installed app's German catalogue, and if
one of them has the same word as an English msgid ("Tag", "Form"), its German
translation ("Schlagwort", "Formular") is shown instead. Ambiguous words carry a
``pgettext`` context, which those catalogues do not have.
"""

import datetime
from pathlib import Path

import polib
import pytest

import django
from django.apps import apps
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def _foreign_german() -> dict[str, tuple[str, str]]:
    """Every context-free msgid in Django's and the installed packages' German catalogues."""
    directories = [Path(django.__file__).parent / "conf" / "locale" / "de" / "LC_MESSAGES"]
    for app in apps.get_app_configs():
        directory = Path(app.path) / "locale" / "de" / "LC_MESSAGES"
        ours = Path(app.path).is_relative_to(ROOT) and not Path(app.path).is_relative_to(ROOT / ".venv")
        if directory.is_dir() and not ours:
            directories.append(directory)
    found: dict[str, tuple[str, str]] = {}
    for catalogue in (directory / "django.mo" for directory in directories):
        if not catalogue.exists():
            continue
        for entry in polib.mofile(str(catalogue)):
            text = entry.msgstr or entry.msgstr_plural.get(0, "")
            if not entry.msgctxt and text:
                found.setdefault(entry.msgid, (text, str(catalogue)))
    return found


def test_no_project_msgid_is_translated_by_another_catalogue():
    foreign = _foreign_german()
    assert foreign.get("Tag", ("",))[0] == "Schlagwort"  # the check can see a collision
    ours = polib.pofile(str(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    collisions = [
        f"{entry.msgid!r} would show as {foreign[entry.msgid][0]!r} ({entry.occurrences[0][0]})"
        for entry in ours
        if not entry.obsolete
        and not entry.msgctxt
        and entry.msgid in foreign
        and foreign[entry.msgid][0] != entry.msgid
    ]
    assert collisions == [], "give these a pgettext context:\n" + "\n".join(collisions)


@pytest.mark.django_db
def test_the_german_labels_say_what_they_mean(locales):
    from academy.models import Course
    from rentals.forms import ReserveForm

    with translation.override("de"):
        assert str(ReserveForm().fields["day"].label) == "Tag"
        assert str(Course._meta.get_field("format").verbose_name) == "Form"
    with translation.override("en"):
        assert str(ReserveForm().fields["day"].label) == "Day"
        assert str(Course._meta.get_field("format").verbose_name) == "Format"


def test_date_and_time_inputs_carry_iso_values_in_every_language():
    from rentals.forms import ReserveForm

    for language in ("de", "en", "de-ls"):
        with translation.override(language):
            form = ReserveForm(initial={"day": datetime.date(2026, 12, 1), "start": datetime.time(9, 30)})
            html = str(form["day"]) + str(form["start"])
        assert 'type="date"' in html and 'value="2026-12-01"' in html, html
        assert 'type="time"' in html and 'value="09:30"' in html, html
