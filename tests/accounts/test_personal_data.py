"""The registered apps together: "Meine Daten herunterladen" and "Konto löschen" end to end."""

import pytest

from django.contrib.auth import get_user_model

from ideas.models import Idea
from ideas.services.submission import idea_follow
from notifications.models import EmailSubscription, Platform, Subscription
from notifications.services import subscription_register
from tests.factories.accounts import CitizenFactory
from tests.factories.ideas import IdeaFactory
from tests.factories.notifications import TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def park(home):
    return TopicFactory(slug="stadtpark", name="Stadtpark")


def _browser(*, user, name: str):
    subscription, _key = subscription_register(
        platform=Platform.WEB,
        token=f"https://push.example.org/send/{name}",
        p256dh=f"{name}-p256dh",
        auth=f"{name}-auth",
        language="de",
        topic_slugs=["stadtpark"],
        user=user,
    )
    return subscription


def test_the_export_holds_the_citizens_ideas_and_devices_and_nothing_of_another_citizen(client, park):
    citizen, neighbour = CitizenFactory(), CitizenFactory()
    IdeaFactory(topic=park, author=citizen, title="Trinkbrunnen im Stadtpark")
    neighbours_idea = IdeaFactory(topic=park, author=neighbour, title="Hundewiese")
    idea_follow(idea=neighbours_idea, user=citizen)
    _browser(user=citizen, name="citizen")
    _browser(user=neighbour, name="neighbour")
    EmailSubscription.objects.create(user=neighbour, topic=park)
    client.force_login(citizen)

    data = client.get("/api/v1/me/data/").json()

    assert [idea["title"] for idea in data["ideas"]["ideas"]] == ["Trinkbrunnen im Stadtpark"]
    assert [follow["idea"] for follow in data["ideas"]["follows"]] == ["Hundewiese"]
    [device] = data["notifications"]["devices"]
    assert (device["platform"], device["topics"]) == ("web", ["Stadtpark"])
    assert data["notifications"]["email_topics"] == []
    document = client.get("/de/mein-konto/meine-daten/").content.decode()
    assert "citizen-p256dh" not in document and "https://push.example.org" not in document
    assert neighbour.email not in document and "neighbour" not in document


def test_deleting_the_account_removes_devices_and_keeps_public_ideas_without_the_author(client, park):
    citizen, neighbour = CitizenFactory(), CitizenFactory()
    idea = IdeaFactory(topic=park, author=citizen)
    idea_follow(idea=idea, user=neighbour)
    _browser(user=citizen, name="citizen")
    theirs = _browser(user=neighbour, name="neighbour")
    client.force_login(citizen)

    response = client.post("/de/mein-konto/konto-loeschen/", {"confirm": "on"})

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=citizen.pk).exists()
    assert list(Subscription.objects.values_list("pk", flat=True)) == [theirs.pk]
    idea = Idea.objects.get(pk=idea.pk)
    assert idea.author is None and idea.is_public
    assert idea.follows.get().user == neighbour
    assert client.get(idea.get_absolute_url()).status_code == 200
