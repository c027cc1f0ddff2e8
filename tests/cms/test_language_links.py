"""Every page's language links lead to that page's equivalent: a crawl of the demo in all three locales."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from django.conf import settings
from django.core.management import call_command

from wagtail.models import Page

KIND_SAMPLE = 4
LANGUAGES = [code for code, _name in settings.LANGUAGES]
SKIP = re.compile(
    r"^/(static|media|documents|admin|django-admin|api|_allauth|sitemap|robots|sw\.js|i18n)/?"
    r"|/feeds/|/abmelden|/logout|\.ics$|/export"
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.language_links, self._in_language_nav = [], {}, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "language-nav" in (attrs.get("class") or ""):
            self._in_language_nav = 1
        elif tag == "nav" and self._in_language_nav:
            self._in_language_nav += 1
        if tag == "a" and attrs.get("href"):
            if self._in_language_nav:
                code = "de-ls" if "easy-language" in (attrs.get("class") or "") else attrs.get("hreflang")
                self.language_links[code] = attrs["href"]
            else:
                self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav" and self._in_language_nav:
            self._in_language_nav -= 1


def _parse(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def _local(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc not in ("testserver", "localhost")):
        return None
    path = parts.path
    if not path.startswith("/") or SKIP.search(path):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _language_of(path: str) -> str | None:
    first = path.strip("/").split("/")[0]
    return first if first in LANGUAGES else None


def _homes() -> set[str]:
    return {f"/{code}/" for code in LANGUAGES}


def _translations_by_path() -> dict[str, set[str]]:
    """Each live Wagtail page's path and the languages it is live in."""
    pages = list(Page.objects.live().filter(depth__gt=1).select_related("locale"))
    languages: dict = {}
    for page in pages:
        languages.setdefault(page.translation_key, set()).add(page.locale.language_code)
    return {urlsplit(page.get_url()).path: languages[page.translation_key] for page in pages if page.get_url()}


def _has_equivalent(path: str, target: str, translations: dict[str, set[str]]) -> bool:
    """Is there a live page in ``target`` for the Wagtail page at ``path``? App views always have one."""
    languages = translations.get(urlsplit(path).path)
    return languages is None or target in languages


def _link_problems(path: str, links: dict[str, str], client, checked: dict, translations: dict) -> list[str]:
    """What is wrong with one page's language links."""
    here, problems = _language_of(path), []
    for code, href in links.items():
        if code == here:
            continue
        target = _local(href)
        if target is None:
            problems.append(f"{path}: the {code} link {href!r} leaves the portal")
            continue
        if target == path:
            problems.append(f"{path}: the {code} link goes nowhere")
            continue
        if _language_of(target) != code:
            problems.append(f"{path}: the {code} link {target} is in another language")
        if target not in checked:
            checked[target] = client.get(target).status_code
        if checked[target] != 200:
            problems.append(f"{path}: the {code} link {target} answers {checked[target]}")
        if target in _homes() and path not in _homes() and _has_equivalent(path, code, translations):
            problems.append(f"{path}: the {code} link drops the citizen on the home page")
    return problems


class _Crawl:
    """Breadth first through the portal's own pages; a few pages of each kind (articles, ideas, items)."""

    def __init__(self):
        self.queue = deque(f"/{code}/" for code in LANGUAGES)
        self.seen: set[str] = set()
        self.per_parent: dict[str, int] = {}

    def __iter__(self):
        while self.queue and len(self.seen) < 400:
            path = self.queue.popleft()
            if path not in self.seen:
                self.seen.add(path)
                yield path

    def follow(self, hrefs: list[str]) -> None:
        for local in filter(None, map(_local, hrefs)):
            if local in self.seen or local in self.queue or not _language_of(local):
                continue
            parent = local.split("?")[0].rstrip("/").rsplit("/", 1)[0]
            if parent.count("/") < 2 or self.per_parent.get(parent, 0) < KIND_SAMPLE:
                self.per_parent[parent] = self.per_parent.get(parent, 0) + 1
                self.queue.append(local)


@pytest.mark.django_db
def test_every_language_link_leads_to_the_same_page_in_the_other_language(client, settings):
    settings.DEMO_SIGN_INS_VISIBLE = False
    call_command("seed_demo")
    translations, crawl, checked, problems = _translations_by_path(), _Crawl(), {}, []
    for path in crawl:
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parsed = _parse(response.content.decode())
        assert set(parsed.language_links) == set(LANGUAGES), f"{path} lacks language links"
        problems += _link_problems(path, parsed.language_links, client, checked, translations)
        crawl.follow(parsed.links)
    assert len(crawl.seen) > 60, f"the crawl found only {len(crawl.seen)} pages"
    assert not problems, f"{len(problems)} language links are wrong:\n" + "\n".join(sorted(set(problems))[:60])
    assert len(checked) > 40, f"only {len(checked)} language links were followed"
