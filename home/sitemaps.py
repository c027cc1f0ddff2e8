"""The sitemap: every live page in every locale and the app views in every language.

Wagtail's own sitemap lists the default site's root and its descendants, which
is the German tree only: the English and Leichte Sprache trees are the root's
translations beside it. Each entry carries ``hreflang`` alternates to its
translations (Google's format, rendered by Django's sitemap template), with
German as ``x-default``. Leichte Sprache has no language tag of its own (it is
German), so its pages are listed but never offered as an alternate.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse

from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap
from wagtail.models import Page

from ideas.selectors.public import ideas_public
from rentals.selectors import item_types_source

HREFLANG = {"de": "de", "en": "en"}
X_DEFAULT = "de"


def _alternates(urls_by_language: dict[str, str]) -> list[dict]:
    if len([code for code in urls_by_language if code in HREFLANG]) < 2:
        return []
    alternates = [
        {"lang_code": HREFLANG[code], "location": url} for code, url in urls_by_language.items() if code in HREFLANG
    ]
    if X_DEFAULT in urls_by_language:
        alternates.append({"lang_code": "x-default", "location": urls_by_language[X_DEFAULT]})
    return alternates


class PageSitemap(WagtailSitemap):
    """Every live, public page under the site's root and under the root's translations."""

    def items(self):
        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True).filter(live=True)
        under_a_root = Q()
        for root in roots:
            under_a_root |= Q(path__startswith=root.path)
        return Page.objects.live().public().filter(under_a_root).order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        translations = self._translations({page.translation_key for page in pages})
        urls, last_mods = [], set()
        for item in pages:
            for url_info in item.get_sitemap_urls(self.request):
                url_info["alternates"] = _alternates(translations.get(item.translation_key, {}))
                urls.append(url_info)
                last_mods.add(url_info.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls

    def _translations(self, keys: set) -> dict:
        found: dict = {}
        for page in Page.objects.live().public().filter(translation_key__in=keys).select_related("locale"):
            url = page.get_full_url(self.request)
            if url:
                found.setdefault(page.translation_key, {})[page.locale.language_code] = url
        return found


class AppViewSitemap(Sitemap):
    """The services that are Django views, not pages: the rental catalogue and the public ideas."""

    i18n = True
    alternates = True
    languages = [code for code, _name in settings.LANGUAGES]

    def items(self):
        item_types = [("rentals:item_type", {"slug": item_type.slug}) for item_type in item_types_source()]
        ideas = [("ideas:detail", {"pk": pk}) for pk in ideas_public().values_list("pk", flat=True)]
        return [("rentals:index", {}), *item_types, *ideas]

    def location(self, item):
        name, kwargs = item
        return reverse(name, kwargs=kwargs)

    # Absolute links come from SITE_URL, never from the request's Host header (cms/links.py).
    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url_info in urls:
            # Django's x-default drops the language prefix, but every language has one here.
            by_language = {alternate["lang_code"]: alternate["location"] for alternate in url_info["alternates"]}
            url_info["alternates"] = _alternates(by_language)
        return urls


SITEMAPS = {"pages": PageSitemap, "services": AppViewSitemap}
