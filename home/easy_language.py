"""A check for Leichte Sprache that a program can do.

The rules of the Netzwerk Leichte Sprache that can be checked by program (docs/editorial.md,
"Leichte Sprache"): short sentences, no words the glossary replaces or that readers of Leichte
Sprache do not know, no abbreviations, no chains of passive verbs. The check does not replace
a reader from the target group; it catches what slips in. It reports each offending sentence.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.db import models
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

MAX_WORDS = 15

# Words Leichte Sprache texts must not use, with the glossary's word where there is one.
FORBIDDEN = {
    "Push": "Nachricht aufs Handy",
    "Push-Nachricht": "Nachricht aufs Handy",
    "Browser": "",
    "JavaScript": "",
    "Kennung": "",
    "Eilmeldung": "Wichtige Nachricht",
    "Cookie": "",
    "Login": "Anmelden",
    "Account": "Mein Konto",
    "Download": "",
    "Feed": "",
    "Ideenspeicher": "Ideen-Speicher",
    "Barrierefreiheit": "Barriere-Freiheit",
    "Schließfachanlage": "Schließ-Fach-Anlage",
    "Warteliste": "Warte-Liste",
    "Kursleitung": "Kurs-Leitung",
    "Bewertungsbogen": "Bewertungs-Bogen",
    "Begleitperson": "Begleit-Person",
    "Ruhezeit": "Ruhe-Zeit",
    "Sprechstunde": "Sprech-Stunde",
    "Anmeldecode": "Code",
    "Teilnahmebescheinigung": "Bescheinigung",
}
# Names that look like abbreviations but are names: the portal's own.
NAMES = {"GO"}
DOTTED_ABBREVIATION = re.compile(
    r"\b(z\.\s?B|d\.\s?h|bzw|ca|usw|ggf|evtl|u\.\s?a|inkl|Nr|Tel|Str|vgl|bzgl|max|min)\.", re.IGNORECASE
)
ABBREVIATION_PARTS = {
    "z",
    "b",
    "d",
    "h",
    "bzw",
    "ca",
    "usw",
    "ggf",
    "evtl",
    "u",
    "a",
    "inkl",
    "nr",
    "tel",
    "str",
    "vgl",
}
CAPITALS = re.compile(r"\b[A-ZÄÖÜ]{2,6}\b")
PASSIVE_CHAIN = re.compile(r"\b(wird|werden|wurde|wurden)\b[^.!?]*\b(werden|worden)\b", re.IGNORECASE)
SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")


@dataclass(frozen=True)
class Finding:
    sentence: str
    problem: str

    def __str__(self) -> str:
        return f"{self.problem}: „{self.sentence}“"


BLOCK_TAG = re.compile(
    r"</?(p|h[1-6]|li|ul|ol|div|br|tr|td|th|dt|dd|section|label|button|legend|option|figcaption)\b[^>]*>"
)


def sentences(text: str) -> list[str]:
    """The sentences of a text or an HTML fragment; headings, list items and labels count as one each."""
    plain = strip_tags(BLOCK_TAG.sub("\n", text)).replace("\u00ad", "")
    found: list[str] = []
    for line in plain.split("\n"):
        pieces = [piece.strip() for piece in SENTENCE_END.split(line) if piece.strip()]
        for piece in pieces:
            # "z. B." and "Nr. 5" end in a full stop without ending the sentence.
            last = re.search(r"(\w+)\.$", found[-1]) if found and found[-1] is not None else None
            if last and last.group(1).lower() in ABBREVIATION_PARTS:
                found[-1] = f"{found[-1]} {piece}"
            else:
                found.append(piece)
        found.append(None)
    return [sentence for sentence in found if sentence]


def _word_problems(sentence: str) -> list[str]:
    problems = []
    words = re.findall(r"[\wÄÖÜäöüß-]+", sentence)
    for word in words:
        for part in {word, *word.split("-")}:
            if part in FORBIDDEN:
                better = FORBIDDEN[part]
                problems.append(
                    _("„%(word)s“ ist kein Wort für Leichte Sprache; besser: „%(better)s“")
                    % {"word": part, "better": better}
                    if better
                    else _("„%(word)s“ ist kein Wort für Leichte Sprache") % {"word": part}
                )
    for abbreviation in [*DOTTED_ABBREVIATION.findall(sentence), *CAPITALS.findall(sentence)]:
        if abbreviation not in NAMES:
            problems.append(_("Abkürzung „%(word)s“: bitte ausschreiben") % {"word": abbreviation})
    return problems


def check(text: str) -> list[Finding]:
    """Every rule a sentence of ``text`` breaks; an empty list when the text passes."""
    findings = []
    for sentence in sentences(text):
        words = len(re.findall(r"[\wÄÖÜäöüß-]+", sentence))
        if words > MAX_WORDS:
            findings.append(
                Finding(
                    sentence,
                    str(_("Satz mit %(count)d Wörtern (höchstens %(max)d)") % {"count": words, "max": MAX_WORDS}),
                )
            )
        if PASSIVE_CHAIN.search(sentence):
            findings.append(Finding(sentence, str(_("Passiv-Kette: bitte mit „Sie“ oder „wir“ sagen, wer etwas tut"))))
        findings += [Finding(sentence, str(problem)) for problem in _word_problems(sentence)]
    return findings


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _EasyParts(HTMLParser):
    """Keeps the HTML outside elements marked ``data-easy-language="no"`` (text that is not Leichte
    Sprache and says so: citizens' own words, German standing in for a missing translation)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.kept: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if self.skipping:
            self.skipping += tag not in VOID_ELEMENTS
        elif ("data-easy-language", "no") in attrs:
            self.skipping = 0 if tag in VOID_ELEMENTS else 1
        else:
            self.kept.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if self.skipping:
            self.skipping -= 1
        else:
            self.kept.append(f"</{tag}>")

    def handle_data(self, data):
        if not self.skipping:
            self.kept.append(data)


def easy_language_parts(html: str) -> str:
    """The parts of an HTML fragment that claim to be Leichte Sprache."""
    parser = _EasyParts()
    parser.feed(html)
    parser.close()
    return "".join(parser.kept)


def page_text(page) -> str:
    """A page's own text: its title and every text, rich text and stream field of its type."""

    page = page.specific
    parts = [page.title]
    for field in type(page)._meta.concrete_fields:
        if field.model is Page or not isinstance(field, models.TextField | RichTextField | StreamField):
            continue
        value = getattr(page, field.attname)
        parts.append(value.render_as_block() if hasattr(value, "render_as_block") else str(value or ""))
    return "\n".join(str(part) for part in parts)
