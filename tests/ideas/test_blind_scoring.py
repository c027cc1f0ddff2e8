"""Blind scoring stays blind: a handed-in Bewertungsbogen is final for the round.

The attack from the security review: a member hands in a throwaway card, reads the
aggregate (with two scorers, min and max are the other member's exact values), then
edits the handed-in card to match. A handed-in card can now only change after the
round's lead reopens it, with a reason, in the audit log; reopening hides the
aggregate again until the card is handed in anew.
"""

import pytest

from django.core.exceptions import PermissionDenied, ValidationError

from ideas.models import ScoreAuditEntry, Scorecard
from ideas.selectors.evaluation import criteria_of, scores_visible
from ideas.services.evaluation import scorecard_reopen, scorecard_save
from tests.factories.ideas import IdeaFactory, group_with_members, open_round


@pytest.fixture
def pair(topic, moderator):
    """Two staff members and an ambassador; the first staff member has handed in 5s."""
    group, members = group_with_members(staff=2, ambassadors=1)
    evaluation_round = open_round(group=group, ideas=[IdeaFactory(topic=topic)], actor=moderator)
    criteria = criteria_of(evaluation_round=evaluation_round)
    assignment = evaluation_round.assignments.get()
    scorecard_save(assignment=assignment, member=members[0], values={criterion.pk: 5 for criterion in criteria})
    return assignment, members, criteria, moderator


def _card(criteria, value):
    return {str(criterion.pk): value for criterion in criteria}


def test_the_throwaway_card_bypass_is_refused_by_the_api(client, pair):
    assignment, members, criteria, _moderator = pair
    client.force_login(members[1])
    url = f"/api/v1/ideas/scorecards/{assignment.pk}/"
    throwaway = client.post(url, {"scores": _card(criteria, 1)}, content_type="application/json")
    assert throwaway.status_code == 200
    peeked = throwaway.json()["aggregate"]["criteria"][str(criteria[0].pk)]
    assert peeked["maximum"] == 5  # the price of handing in: the others' values are visible now

    edit = client.post(url, {"scores": _card(criteria, 5)}, content_type="application/json")

    assert edit.status_code == 409
    assert edit["Content-Type"] == "application/problem+json"
    assert "abgegeben" in edit.json()["detail"]
    card = Scorecard.objects.get(assignment=assignment, member=members[1])
    assert set(card.scores.values_list("value", flat=True)) == {1}


def test_the_admin_form_is_read_only_once_handed_in(client, pair):
    assignment, members, criteria, _moderator = pair
    client.force_login(members[0])
    url = f"/admin/ideen/bewerten/{assignment.pk}/"
    page = client.get(url).content.decode()
    assert "Bewertung ändern" not in page
    assert "gilt für diese Runde" in page
    response = client.post(url, {f"criterion_{criterion.pk}": 1 for criterion in criteria})
    assert response.status_code == 200
    assert "gilt für diese Runde" in response.content.decode()
    card = Scorecard.objects.get(assignment=assignment, member=members[0])
    assert set(card.scores.values_list("value", flat=True)) == {5}


def test_drafts_may_change_until_handed_in(pair):
    assignment, members, criteria, _moderator = pair
    first = {criterion.pk: 2 for criterion in criteria}
    scorecard_save(assignment=assignment, member=members[1], values=first, submit=False)
    scorecard_save(assignment=assignment, member=members[1], values={criteria[0].pk: 3}, submit=False)
    scorecard_save(assignment=assignment, member=members[1], values={**first, criteria[0].pk: 4})
    card = Scorecard.objects.get(assignment=assignment, member=members[1])
    assert card.submitted_at is not None
    assert card.scores.get(criterion=criteria[0]).value == 4


def test_the_lead_reopens_a_card_with_a_reason_and_it_is_blind_again(pair):
    assignment, members, criteria, moderator = pair
    card = Scorecard.objects.get(assignment=assignment, member=members[0])

    scorecard_reopen(scorecard=card, reason="Tippfehler bei Kosten, gemeldet am Telefon", actor=moderator)

    card.refresh_from_db()
    assert card.submitted_at is None
    assert not scores_visible(assignment=assignment, user=members[0])
    entry = ScoreAuditEntry.objects.filter(assignment=assignment, action="wieder geöffnet").get()
    assert entry.member == members[0] and entry.actor == moderator
    assert entry.reason == "Tippfehler bei Kosten, gemeldet am Telefon"
    scorecard_save(assignment=assignment, member=members[0], values={criterion.pk: 4 for criterion in criteria})
    assert set(card.scores.values_list("value", flat=True)) == {4}


def test_reopening_needs_the_lead_a_reason_and_someone_else(pair):
    assignment, members, _criteria, moderator = pair
    card = Scorecard.objects.get(assignment=assignment, member=members[0])
    with pytest.raises(PermissionDenied):
        scorecard_reopen(scorecard=card, reason="bitte", actor=members[2])  # an ambassador is not the lead
    with pytest.raises(PermissionDenied):
        scorecard_reopen(scorecard=card, reason="bitte", actor=members[0])  # not one's own card
    with pytest.raises(ValidationError):
        scorecard_reopen(scorecard=card, reason="  ", actor=moderator)
    card.refresh_from_db()
    assert card.submitted_at is not None
    assert not ScoreAuditEntry.objects.filter(action="wieder geöffnet").exists()


def test_the_lead_reopens_from_the_round_page(client, pair):
    assignment, members, _criteria, moderator = pair
    card = Scorecard.objects.get(assignment=assignment, member=members[0])
    client.force_login(moderator)
    page = client.get(f"/admin/ideen/runden/{assignment.round_id}/").content.decode()
    assert "Wieder öffnen" in page
    response = client.post(
        f"/admin/ideen/bewertungsbogen/{card.pk}/oeffnen/", {"reason": "Falsche Idee bewertet"}, follow=True
    )
    assert response.status_code == 200
    card.refresh_from_db()
    assert card.submitted_at is None
