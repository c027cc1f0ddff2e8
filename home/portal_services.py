"""The portal's services, declared once: the home page's "Das finden Sie hier" cards, the
search's service results and the links an empty search offers all read this list."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from wagtail.models import Locale


@dataclass(frozen=True)
class Service:
    key: str
    title: str
    summary: str
    # Words people search for when they mean this service, in each language (never shown).
    keywords: str
    url_name: str = ""  # an app view …
    page_type: str = ""  # … or the section page of this type in the locale


SERVICES = (
    Service(
        "rentals",
        _("Ausleihen"),
        _("Rollator, Bollerwagen und mehr aus den Schließfächern im Stadtpark ausleihen."),
        _("ausleihen leihen Verleih reservieren Rollator Bollerwagen Schließfach Fach Stadtpark Gehhilfe"),
        url_name="rentals:index",
    ),
    Service(
        "academy",
        _("Digitalakademie"),
        _("Kurse und Sprechstunden zu Smartphone, Tablet und Internet."),
        _("Kurs Kurse Akademie lernen Termin Sprechstunde Smartphone Handy Tablet Computer Internet"),
        page_type="academy.AcademyIndexPage",
    ),
    Service(
        "ideas",
        _("Ideenspeicher"),
        _("Ideen für Norderstedt vorschlagen und unterstützen."),
        _("Idee Ideen Vorschlag vorschlagen einreichen unterstützen Projekt Bürgerbeteiligung"),
        page_type="ideas.IdeaIndexPage",
    ),
    Service(
        "news",
        _("Nachrichten"),
        _("Neues aus der Stadt, auch zu Baustellen und Unwettern."),
        _("Nachrichten Neuigkeiten Aktuelles Meldung Warnung Baustelle Unwetter"),
        page_type="news.NewsIndexPage",
    ),
    Service(
        "notifications",
        _("Benachrichtigungen"),
        _("Wählen Sie Themen, zu denen Sie eine kurze Nachricht bekommen."),
        _("Benachrichtigung Benachrichtigungen Nachricht Thema Themen abonnieren Handy App E-Mail"),
        url_name="notifications:preferences",
    ),
    Service(
        "account",
        _("Mein Konto"),
        _("Ihre Reservierungen, Kurse und Ideen an einem Ort."),
        _("Konto anmelden Anmeldung Reservierung Reservierungen meine Daten löschen"),
        url_name="accounts:my_account",
    ),
)


@dataclass(frozen=True)
class ServiceLink:
    key: str
    title: str
    summary: str
    keywords: str
    url: str


def portal_services(*, language: str) -> list[ServiceLink]:
    """Each service that exists in ``language``, with its words and address in that language
    (one query per section page type; a section without a page in the locale is left out)."""
    locale = Locale.objects.filter(language_code=language).first()
    links = []
    with override(language):
        for service in SERVICES:
            url = _service_url(service, locale)
            if url:
                links.append(
                    ServiceLink(service.key, str(service.title), str(service.summary), str(service.keywords), url)
                )
    return links


def _service_url(service: Service, locale: Locale | None) -> str:
    if service.url_name:
        try:
            return reverse(service.url_name)
        except NoReverseMatch:
            return ""
    page = apps.get_model(service.page_type).objects.live().filter(locale=locale).first() if locale else None
    return page.get_url() or "" if page else ""
