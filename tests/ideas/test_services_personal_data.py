"""GDPR export and erasure of ideas, supports, follows and working-group data."""

import json

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder

from ideas.models import Follow, Idea, IdeaStatus, Support
from ideas.selectors.evaluation import criteria_of
from ideas.services.evaluation import recusal_declare, scorecard_save
from ideas.services.personal_data import ideas_erase, ideas_export
from ideas.services.submission import idea_follow, idea_support
from tests.factories.ideas import IdeaFactory, UserFactory, group_with_members, open_round


@pytest.fixture
def neighbour(db):
    return UserFactory(username="nachbar")


def _as_text(data) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)


def test_export_holds_the_citizens_ideas_supports_and_follows_and_nothing_of_a_neighbour(citizen, neighbour, topic):
    public = IdeaFactory(topic=topic, author=citizen, title="Trinkbrunnen im Stadtpark")
    waiting = IdeaFactory(topic=topic, author=citizen, title="Bank am Teich", status=IdeaStatus.SUBMITTED)
    theirs = IdeaFactory(topic=topic, author=neighbour, title="Hundewiese", description="Nur vom Nachbarn.")
    idea_support(idea=theirs, user=citizen)
    idea_follow(idea=theirs, user=citizen)
    idea_support(idea=public, user=neighbour)

    data = ideas_export(user=citizen)

    assert [idea["title"] for idea in data["ideas"]] == [public.title, waiting.title]
    assert data["ideas"][1]["status"] == IdeaStatus.SUBMITTED
    assert [support["idea"] for support in data["supports"]] == ["Hundewiese"]
    assert [follow["idea"] for follow in data["follows"]] == ["Hundewiese"]
    text = _as_text(data)
    assert "Nur vom Nachbarn." not in text
    assert neighbour.email not in text and neighbour.username not in text


def test_export_of_a_member_holds_their_own_scores_but_not_the_other_members(topic, moderator):
    group, members = group_with_members(staff=1, ambassadors=1)
    ambassador, colleague = members[1], members[0]
    idea, other = IdeaFactory(topic=topic), IdeaFactory(topic=topic)
    evaluation_round = open_round(group=group, ideas=[idea, other], actor=moderator)
    criteria = criteria_of(evaluation_round=evaluation_round)
    first, second = evaluation_round.assignments.order_by("pk")
    scorecard_save(assignment=first, member=ambassador, values={criterion.pk: 4 for criterion in criteria})
    scorecard_save(assignment=first, member=colleague, values={criterion.pk: 1 for criterion in criteria})
    recusal_declare(assignment=second, member=ambassador, reason="Mein Verein hat sie eingereicht.")

    data = ideas_export(user=ambassador)

    assert data["working_groups"] == [{"group": group.name, "role": "botschafter"}]
    [scorecard] = data["scorecards"]
    assert scorecard["idea"] == idea.title
    assert set(scorecard["scores"].values()) == {4}
    assert [recusal["reason"] for recusal in data["recusals"]] == ["Mein Verein hat sie eingereicht."]


def test_erasure_keeps_public_ideas_without_the_author_and_deletes_unpublished_ones(
    citizen, neighbour, topic, django_capture_on_commit_callbacks
):
    public = IdeaFactory(topic=topic, author=citizen)
    merged = IdeaFactory(topic=topic, author=citizen, status=IdeaStatus.MERGED, merged_into=public)
    waiting = IdeaFactory(
        topic=topic,
        author=citizen,
        status=IdeaStatus.SUBMITTED,
        image=SimpleUploadedFile("bank.png", b"image bytes", content_type="image/png"),
        image_alt="Eine Bank",
    )
    refused = IdeaFactory(topic=topic, author=citizen, status=IdeaStatus.NOT_PUBLISHED, moderation_reason="Doppelt.")
    storage, image = waiting.image.storage, waiting.image.name
    assert storage.exists(image)
    theirs = IdeaFactory(topic=topic, author=neighbour)
    idea_support(idea=theirs, user=citizen)
    idea_follow(idea=theirs, user=citizen)
    idea_follow(idea=theirs, user=neighbour)

    with django_capture_on_commit_callbacks(execute=True):
        ideas_erase(user=citizen)

    assert not Idea.objects.filter(pk__in=[waiting.pk, refused.pk]).exists()
    assert not storage.exists(image)
    kept = Idea.objects.filter(pk__in=[public.pk, merged.pk])
    assert list(kept.values_list("author", flat=True)) == [None, None]
    public.refresh_from_db()
    assert public.is_public
    assert not Support.objects.filter(user=citizen).exists()
    assert not Follow.objects.filter(user=citizen).exists()
    assert Follow.objects.filter(user=neighbour, idea=theirs).exists()
    assert Idea.objects.get(pk=theirs.pk).author == neighbour
