"""Ideenspeicher flows end to end in chromium, axe on every page.

Citizens are signed in by session cookie: the code sign-in itself has its own
browser test in the foundation's flows.
"""

import re

import pytest

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from ideas.models import Idea, IdeaIndexPage, IdeaStatus, Support
from ideas.selectors.evaluation import criteria_of
from ideas.services.evaluation import IDEA_MODERATORS, ideas_staff_groups_ensure, scorecard_save
from tests.factories.accounts import CitizenFactory
from tests.factories.ideas import IdeaFactory, group_with_members, open_round
from tests.factories.notifications import TopicFactory

pytestmark = pytest.mark.browser


def sign_in(portal, user) -> None:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    host = portal.base_url.split("//")[1].split(":")[0]
    portal.page.context.clear_cookies()
    portal.page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "domain": host, "path": "/"}]
    )


def admin_messages_shown(page) -> None:
    """Wagtail fades its messages in; axe checks their contrast once they are fully shown."""
    page.wait_for_function(
        "(() => { const list = document.querySelector('.messages > ul');"
        " return !list || getComputedStyle(list).opacity === '1'; })()"
    )


@pytest.fixture
def idea_store(demo_site):
    index = demo_site.add_child(
        instance=IdeaIndexPage(title="Ideenspeicher", slug="ideenspeicher", locale=demo_site.locale)
    )
    index.save_revision().publish()
    return index


def test_citizen_submits_moderator_publishes_citizen_supports(portal, idea_store):
    page = portal.page
    TopicFactory(slug="stadtpark", name="Stadtpark")
    IdeaFactory(title="Live-Karte für den Bürgerbus", topic__slug="stadtpark")
    citizen = CitizenFactory(email="berta@example.org")
    moderator = CitizenFactory(email="moderation@example.org")
    moderator.groups.add(ideas_staff_groups_ensure()[IDEA_MODERATORS])

    sign_in(portal, citizen)
    portal.goto("/de/ideenspeicher/")
    page.get_by_role("link", name="Idee einreichen").click()
    portal.axe()
    page.get_by_label("Titel Ihrer Idee").fill("Karte für den Bürgerbus in Echtzeit")
    page.get_by_role("link", name="Live-Karte für den Bürgerbus").wait_for()
    portal.axe()
    page.get_by_label("Was ist die Idee?").fill("Eine Karte zeigt, wo der Bürgerbus gerade fährt und wann er kommt.")
    page.get_by_label("Welchen Bedarf deckt sie?").fill("Wartende wissen, ob der Bus schon weg ist.")
    page.get_by_label("Thema").select_option(label="Stadtpark")
    page.get_by_role("button", name="Idee einreichen").click()
    page.wait_for_url(re.compile(r"/de/ideen/\d+/$"))
    portal.axe()
    assert "Ihre Idee wird geprüft" in page.locator("main").inner_text()
    idea = Idea.objects.get(title="Karte für den Bürgerbus in Echtzeit")

    sign_in(portal, moderator)
    portal.goto("/admin/ideen/moderation/")
    page.get_by_role("region", name=idea.title).get_by_role("button", name="Veröffentlichen", exact=True).click()
    page.wait_for_load_state("load")
    admin_messages_shown(page)
    portal.axe()
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.PUBLISHED

    sign_in(portal, citizen)
    portal.goto("/de/ideenspeicher/")
    page.get_by_role("link", name=idea.title).click()
    portal.axe()
    page.get_by_role("button", name="Idee unterstützen").click()
    page.wait_for_load_state("load")
    portal.axe()
    assert "1 Person unterstützt diese Idee." in page.locator("main").inner_text()
    assert Support.objects.filter(idea=idea, user=citizen).count() == 1


def test_member_scores_and_sees_the_matrix(portal, idea_store):
    page = portal.page
    topic = TopicFactory(slug="stadtpark", name="Stadtpark")
    group, members = group_with_members(name="Digitales Rathaus", staff=1, ambassadors=1)
    moderator = CitizenFactory(email="moderation@example.org")
    ideas = [IdeaFactory(topic=topic, title="Schließfächer im Stadtpark"), IdeaFactory(topic=topic, title="Stadt-App")]
    evaluation_round = open_round(group=group, ideas=ideas, actor=moderator)
    criteria = criteria_of(evaluation_round=evaluation_round)
    for assignment in evaluation_round.assignments.all():
        scorecard_save(assignment=assignment, member=members[0], values={criterion.pk: 4 for criterion in criteria})

    ambassador = members[1]
    sign_in(portal, ambassador)
    portal.goto(f"/admin/ideen/runden/{evaluation_round.pk}/")
    assert "Die Matrix erscheint" in page.locator("main").inner_text()
    page.get_by_role("link", name="Zum Bewertungsbogen").first.click()
    portal.axe()
    for criterion in criteria:
        page.get_by_role("group", name=criterion.name).get_by_label("2", exact=True).check()
    page.get_by_role("button", name="Bewertung abgeben").click()
    page.wait_for_load_state("load")
    admin_messages_shown(page)
    portal.axe()
    assert "Auswertung von 2 Bewertungen" in page.locator("main").inner_text()
    portal.goto(f"/admin/ideen/runden/{evaluation_round.pk}/")
    assert page.get_by_role("img", name="Matrix Nutzen und Komplexität").is_visible()
    assert page.get_by_role("table", name="Die Matrix als Tabelle").is_visible()
