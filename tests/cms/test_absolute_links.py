"""Every absolute link the portal writes uses SITE_URL's scheme and host.

Written first against main, where pages' links came from the ``localhost:80``
Site record that ``site_ensure`` created: push payloads, the API's ``url``
fields, the sitemap, feeds and iCal files all pointed at ``http://localhost/``.
"""

import re

import pytest

from django.core import mail
from django.urls import reverse

from academy.calendar import sessions_calendar
from home.services import site_address_apply
from notifications.models import Campaign
from rentals.tasks import confirmation_send_task
from tests.factories.academy import academy_index_create, course_create, session_create
from tests.factories.news import NewsPageFactory, news_index_create
from tests.factories.notifications import TopicFactory
from tests.factories.rentals import ReservationFactory

pytestmark = pytest.mark.django_db

SITE_URL = "https://go.norderstedt.example"
ABSOLUTE = re.compile(r"https?://[^\s\"'<>\\]+")


def _foreign(text: str) -> list[str]:
    """Absolute links in ``text`` that do not start with SITE_URL (XML namespaces aside)."""
    links = ABSOLUTE.findall(text)
    assert links, "the output holds no absolute link at all"
    namespaces = ("http://www.w3.org/", "http://www.sitemaps.org/")
    return [link for link in links if not link.startswith((f"{SITE_URL}/", *namespaces))]


@pytest.fixture
def site(settings, home):
    settings.SITE_URL = SITE_URL
    assert site_address_apply()
    return home


def test_the_default_site_follows_site_url(site):
    from wagtail.models import Site

    assert Site.objects.get(is_default_site=True).root_url == SITE_URL
    assert site.get_full_url().startswith(f"{SITE_URL}/")


def test_push_payload_api_sitemap_and_feeds_link_to_site_url(site, client, django_capture_on_commit_callbacks):
    topic = TopicFactory(slug="verkehr")
    index = news_index_create(parent=site)
    with django_capture_on_commit_callbacks(execute=True):
        page = NewsPageFactory(parent=index, topics=[topic], push_on_publish=True)
    campaign = Campaign.objects.get(page=page)
    assert campaign.url.startswith(f"{SITE_URL}/")
    assert client.get(campaign.url.removeprefix(SITE_URL)).status_code == 200
    outputs = {
        "news API": client.get("/api/v1/news/").content.decode(),
        "sitemap": client.get("/sitemap.xml").content.decode(),
        "rss": client.get(reverse("news:feed_rss")).content.decode(),
        "atom": client.get(reverse("news:feed_atom")).content.decode(),
        "robots": client.get("/robots.txt").content.decode(),
    }
    assert {name: _foreign(text) for name, text in outputs.items()} == {name: [] for name in outputs}


def test_course_calendar_and_api_link_to_site_url(site, client):
    academy = academy_index_create(parent=site)
    course = course_create(index=academy, title="Smartphone für Einsteiger")
    session_create(course=course)
    calendar = sessions_calendar(sessions=course.course.sessions.all(), name="Kurse").decode()
    assert _foreign(calendar.replace("\r\n ", "")) == []
    assert _foreign(client.get("/api/v1/academy/courses/").content.decode()) == []


def test_reservation_email_and_qr_code_link_to_site_url(site):
    reservation = ReservationFactory()
    confirmation_send_task(reservation.pk)
    (message,) = [message for message in mail.outbox if message.to == [reservation.user.email]]
    assert _foreign(message.body) == []
