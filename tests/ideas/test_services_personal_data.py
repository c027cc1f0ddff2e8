"""GDPR export and erasure of ideas, supports, follows and working-group data."""

import json

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction

from ideas.models import Follow, Idea, IdeaStatus, Recusal, ScoreAuditEntry, Scorecard, Support
from ideas.selectors.evaluation import criteria_of, round_export_rows
from ideas.services.evaluation import recusal_declare, scorecard_save
from ideas.services.personal_data import ideas_erase, ideas_export
from ideas.services.submission import idea_follow, idea_support
from tests.factories.ideas import IdeaFactory, UserFactory, closed_round_with_recusals, group_with_members, open_round


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


def _who(model, evaluation_round):
    return sorted(
        set(model.objects.filter(assignment__round=evaluation_round).values_list("member_id", "pseudonym")), key=str
    )


def test_departing_members_leave_a_closed_rounds_results_and_audit_trail_as_they_were(topic, moderator):
    evaluation_round, (first, second, ambassador) = closed_round_with_recusals(topic=topic, actor=moderator)
    results = round_export_rows(evaluation_round=evaluation_round)
    audit = list(ScoreAuditEntry.objects.filter(assignment__round=evaluation_round).values_list("pk", "action"))

    ideas_erase(user=first)
    first.delete()
    second.delete()  # as staff would in the admin, without "Konto löschen"

    assert round_export_rows(evaluation_round=evaluation_round) == results
    assert [row[2] for row in results[1]] == [2, 2]  # scorers per idea: the recused cards never count
    assert list(ScoreAuditEntry.objects.filter(assignment__round=evaluation_round).values_list("pk", "action")) == audit
    for model in (Scorecard, ScoreAuditEntry):
        assert _who(model, evaluation_round) == sorted([(None, 1), (None, 2), (ambassador.pk, None)], key=str)
    assert _who(Recusal, evaluation_round) == [(None, 1), (None, 2)]


def test_control_pairing_cards_and_recusals_by_member_alone_changes_the_results(topic, moderator, monkeypatch):
    """Without the pseudonym both departed members look alike, and the wrong cards drop out."""
    from ideas.selectors import evaluation

    evaluation_round, (first, second, _ambassador) = closed_round_with_recusals(topic=topic, actor=moderator)
    results = round_export_rows(evaluation_round=evaluation_round)
    first.delete()
    second.delete()
    monkeypatch.setattr(evaluation, "_participant", lambda record: record.member_id)

    assert [row[2] for row in round_export_rows(evaluation_round=evaluation_round)[1]] == [1, 1]
    assert round_export_rows(evaluation_round=evaluation_round) != results


def test_pseudonyms_are_numbered_per_round(topic, moderator):
    first_round, (first, _second, _ambassador) = closed_round_with_recusals(topic=topic, actor=moderator)
    other_round, (other_first, *_rest) = closed_round_with_recusals(topic=topic, actor=moderator)
    other_first.delete()
    first.delete()

    assert set(Scorecard.objects.filter(assignment__round=first_round).values_list("pseudonym", flat=True)) == {
        None,
        1,
    }
    assert set(Scorecard.objects.filter(assignment__round=other_round).values_list("pseudonym", flat=True)) == {
        None,
        1,
    }


@pytest.mark.parametrize("model", [Scorecard, Recusal, ScoreAuditEntry])
def test_the_database_refuses_an_evaluation_record_with_neither_member_nor_pseudonym(topic, moderator, model):
    evaluation_round, _members = closed_round_with_recusals(topic=topic, actor=moderator)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(assignment__round=evaluation_round).update(member=None)
