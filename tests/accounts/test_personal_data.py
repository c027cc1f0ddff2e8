"""The registered apps together: "Meine Daten herunterladen" and "Konto löschen" end to end."""

import pytest

from django.contrib.auth import get_user_model
from django.db import models

from ideas.models import Decision, Idea, ScoreAuditEntry, Scorecard
from ideas.selectors.evaluation import round_export_rows
from ideas.services.evaluation import decision_record
from ideas.services.submission import idea_follow
from notifications.models import EmailSubscription, Platform, Subscription
from notifications.services import subscription_register
from tests.factories.accounts import CitizenFactory
from tests.factories.ideas import IdeaFactory, UserFactory, closed_round_with_recusals
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


@pytest.fixture
def scored_round(park):
    moderator = UserFactory(username="moderation")
    evaluation_round, members = closed_round_with_recusals(topic=park, actor=moderator)
    return evaluation_round, members[0]


def test_a_member_who_scored_in_a_closed_round_deletes_their_account(client, scored_round):
    evaluation_round, member = scored_round
    results = round_export_rows(evaluation_round=evaluation_round)
    audit = ScoreAuditEntry.objects.filter(assignment__round=evaluation_round)
    entries = audit.count()
    client.force_login(member)

    response = client.post("/de/mein-konto/konto-loeschen/", {"confirm": "on"})

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=member.pk).exists()
    assert round_export_rows(evaluation_round=evaluation_round) == results
    assert audit.count() == entries
    assert audit.filter(member=None, pseudonym=1).exists()
    assert not Scorecard.objects.filter(member=None, pseudonym=None).exists()


@pytest.fixture
def protected_by_decisions(monkeypatch):
    """A foreign key to the user that protects it, as a future app might add without an eraser."""
    monkeypatch.setattr(Decision._meta.get_field("decided_by").remote_field, "on_delete", models.PROTECT)


def test_a_protected_record_leaves_the_account_and_its_data_as_they_were(client, scored_round, protected_by_decisions):
    evaluation_round, member = scored_round
    decision_record(
        assignment=evaluation_round.assignments.first(), outcome="auswaehlen", reason="Guter Pilot.", actor=member
    )
    idea = IdeaFactory(topic=evaluation_round.assignments.first().idea.topic, author=member)
    cards = Scorecard.objects.filter(member=member).count()
    client.force_login(member)

    response = client.post("/de/mein-konto/konto-loeschen/", {"confirm": "on"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain == [("/de/mein-konto/konto-loeschen/", 302)]
    assert "Wir konnten Ihr Konto gerade nicht löschen. Ihre Daten sind unverändert." in response.content.decode()
    assert get_user_model().objects.filter(pk=member.pk).exists()
    assert client.session["_auth_user_id"] == str(member.pk)
    assert Scorecard.objects.filter(member=member).count() == cards  # the erasers' work was rolled back
    assert Idea.objects.get(pk=idea.pk).author == member

    response = client.delete("/api/v1/me/")

    assert response.status_code == 409
    assert response.json()["detail"].startswith("Wir konnten Ihr Konto gerade nicht löschen.")
    assert get_user_model().objects.filter(pk=member.pk).exists()
