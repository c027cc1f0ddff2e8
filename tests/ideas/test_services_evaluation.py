"""Rounds, blind scoring, recusal, closing, the audit log, decisions and projects."""

import datetime

import pytest
import time_machine

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ideas.models import Assignment, Decision, IdeaStatus, ScoreAuditEntry, Scorecard
from ideas.selectors.evaluation import assignment_aggregate, criteria_of, round_overview, scores_visible
from ideas.selectors.public import idea_timeline
from ideas.services.evaluation import (
    decision_record,
    recusal_declare,
    round_close_if_complete,
    rounds_close_due,
    scorecard_save,
)
from ideas.services.projects import idea_promote_to_project, project_index_ensure
from tests.factories.ideas import IdeaFactory, UserFactory, group_with_members, open_round


@pytest.fixture
def setup(topic, moderator):
    group, members = group_with_members()
    ideas = [IdeaFactory(topic=topic) for _ in range(2)]
    evaluation_round = open_round(group=group, ideas=ideas, actor=moderator)
    criteria = criteria_of(evaluation_round=evaluation_round)
    assignments = list(evaluation_round.assignments.order_by("pk"))
    return evaluation_round, members, criteria, assignments


def card(criteria, *values):
    return {criterion.pk: value for criterion, value in zip(criteria, values, strict=True)}


def test_default_scorecard_follows_norderstedts_process(setup):
    _round, _members, criteria, _assignments = setup
    assert [criterion.name for criterion in criteria] == [
        "Nutzen",
        "Komplexität",
        "Nachhaltigkeit",
        "Reichweite",
        "Kosten",
    ]
    assert [criterion.direction for criterion in criteria] == ["hoeher", "niedriger", "hoeher", "hoeher", "niedriger"]


def test_opening_a_round_moves_ideas_into_evaluation(setup):
    _round, _members, _criteria, assignments = setup
    assert all(assignment.idea.status == IdeaStatus.IN_EVALUATION for assignment in assignments)


def test_a_member_sees_nothing_of_the_others_before_handing_in(setup):
    _round, members, criteria, assignments = setup
    first, second, _ambassador = members
    scorecard_save(assignment=assignments[0], member=first, values=card(criteria, 5, 1, 5, 5, 1))
    assert not scores_visible(assignment=assignments[0], user=second)
    result = round_overview(evaluation_round=assignments[0].round, user=second)["results"][0]
    assert (result.visible, result.aggregate, result.rows) == (False, None, [])
    scorecard_save(assignment=assignments[0], member=second, values=card(criteria, 1, 5, 1, 1, 5))
    assert scores_visible(assignment=assignments[0], user=second)


def test_a_draft_does_not_unlock_the_others_scores(setup):
    _round, members, criteria, assignments = setup
    scorecard_save(assignment=assignments[0], member=members[0], values={criteria[0].pk: 3}, submit=False)
    assert not scores_visible(assignment=assignments[0], user=members[0])


def test_handing_in_needs_every_criterion_and_values_on_the_scale(setup):
    _round, members, criteria, assignments = setup
    with pytest.raises(ValidationError) as missing:
        scorecard_save(assignment=assignments[0], member=members[0], values={criteria[0].pk: 3})
    assert "scores" in missing.value.message_dict
    with pytest.raises(ValidationError) as out_of_range:
        scorecard_save(assignment=assignments[0], member=members[0], values=card(criteria, 6, 1, 1, 1, 1))
    assert f"criterion_{criteria[0].pk}" in out_of_range.value.message_dict


def test_only_members_of_the_group_score(setup, topic):
    _round, _members, criteria, assignments = setup
    with pytest.raises(PermissionDenied):
        scorecard_save(assignment=assignments[0], member=UserFactory(), values=card(criteria, 3, 3, 3, 3, 3))


def test_recused_scores_are_excluded_from_the_aggregate(setup):
    _round, members, criteria, assignments = setup
    first, second, ambassador = members
    scorecard_save(assignment=assignments[0], member=first, values=card(criteria, 5, 1, 5, 5, 1))
    scorecard_save(assignment=assignments[0], member=second, values=card(criteria, 1, 5, 1, 1, 5))
    recusal_declare(assignment=assignments[0], member=second, reason="Mein Verein profitiert.")
    result = assignment_aggregate(assignment=Assignment.objects.get(pk=assignments[0].pk), criteria=criteria)
    assert result.scorers == 1
    assert result.overall.mean == pytest.approx(1.0)
    with pytest.raises(ValidationError):
        scorecard_save(assignment=assignments[0], member=second, values=card(criteria, 3, 3, 3, 3, 3))
    assert ambassador  # the ambassador has not scored yet: the round is still open
    assert not assignments[0].round.is_closed


def test_every_change_to_a_score_is_audited(setup):
    _round, members, criteria, assignments = setup
    scorecard_save(assignment=assignments[0], member=members[0], values=card(criteria, 3, 3, 3, 3, 3), submit=False)
    scorecard_save(assignment=assignments[0], member=members[0], values=card(criteria, 4, 3, 3, 3, 3))
    entries = list(
        ScoreAuditEntry.objects.filter(assignment=assignments[0]).values_list("action", "old_value", "new_value")
    )
    assert entries.count(("vergeben", None, 3)) == 5
    assert ("abgegeben", None, None) in entries
    assert ("geändert", 3, 4) in entries


def test_the_round_closes_once_everyone_has_scored_or_recused(setup):
    evaluation_round, members, criteria, assignments = setup
    for assignment in assignments:
        for member in members[:-1]:
            scorecard_save(assignment=assignment, member=member, values=card(criteria, 3, 3, 3, 3, 3))
    evaluation_round.refresh_from_db()
    assert evaluation_round.closed_at is None
    recusal_declare(assignment=assignments[0], member=members[-1])
    scorecard_save(assignment=assignments[1], member=members[-1], values=card(criteria, 4, 2, 3, 3, 3))
    evaluation_round.refresh_from_db()
    assert evaluation_round.closed_at is not None
    assert round_close_if_complete(evaluation_round=evaluation_round) is False


def test_the_round_closes_at_its_deadline(setup):
    evaluation_round, members, criteria, assignments = setup
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert evaluation_round.is_closed
        assert scores_visible(assignment=assignments[0], user=members[0])
        with pytest.raises(ValidationError):
            scorecard_save(assignment=assignments[0], member=members[0], values=card(criteria, 3, 3, 3, 3, 3))
        assert rounds_close_due() == 1
        assert rounds_close_due() == 0


def test_decisions_need_a_closed_round_a_reason_and_the_right_person(setup, moderator):
    _round, members, _criteria, assignments = setup
    with pytest.raises(ValidationError):
        decision_record(assignment=assignments[0], outcome=Decision.Outcome.SELECT, reason="Gut.", actor=moderator)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        with pytest.raises(PermissionDenied):
            decision_record(
                assignment=assignments[0], outcome=Decision.Outcome.SELECT, reason="Gut.", actor=members[-1]
            )
        with pytest.raises(ValidationError):
            decision_record(assignment=assignments[0], outcome=Decision.Outcome.SELECT, reason=" ", actor=moderator)
        decision_record(
            assignment=assignments[0], outcome=Decision.Outcome.SELECT, reason="Hoher Nutzen.", actor=members[0]
        )
        decision_record(assignment=assignments[1], outcome=Decision.Outcome.DEFER, reason="Später.", actor=moderator)
        with pytest.raises(ValidationError):
            decision_record(
                assignment=assignments[1], outcome=Decision.Outcome.REJECT, reason="Doch nicht.", actor=moderator
            )
    selected, deferred = (assignment.idea for assignment in assignments)
    selected.refresh_from_db()
    deferred.refresh_from_db()
    assert (selected.status, deferred.status) == (IdeaStatus.SELECTED, IdeaStatus.DEFERRED)
    assert idea_timeline(idea=selected)[-1].reason == "Hoher Nutzen."


def test_a_selected_idea_becomes_a_project_whose_milestones_join_the_timeline(setup, moderator, home):
    _round, _members, _criteria, assignments = setup
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        decision_record(assignment=assignments[0], outcome=Decision.Outcome.SELECT, reason="Pilot.", actor=moderator)
    idea = assignments[0].idea
    idea.refresh_from_db()
    index = project_index_ensure(home=home)
    today = timezone.localdate()
    project = idea_promote_to_project(
        idea=idea, index=index, actor=moderator, milestones=[(today, "Anlage aufgestellt", True)]
    )
    idea.refresh_from_db()
    assert project.live and project.idea == idea
    assert idea.status == IdeaStatus.IN_PROJECT
    timeline = idea_timeline(idea=idea)
    assert timeline[-1].kind == "milestone" and timeline[-1].title == "Anlage aufgestellt"
    with pytest.raises(ValidationError):
        idea_promote_to_project(idea=assignments[1].idea, index=index, actor=moderator)


def test_scorecards_are_unique_per_member_and_idea(setup):
    _round, members, criteria, assignments = setup
    scorecard_save(assignment=assignments[0], member=members[0], values=card(criteria, 3, 3, 3, 3, 3), submit=False)
    scorecard_save(assignment=assignments[0], member=members[0], values=card(criteria, 2, 3, 3, 3, 3))
    assert Scorecard.objects.filter(assignment=assignments[0], member=members[0]).count() == 1
