"""The ideas API: list, detail, submit, support, follow and the blind scorecard."""

import pytest

from ideas.models import Idea, IdeaStatus, Support
from ideas.selectors.evaluation import criteria_of
from ideas.services.evaluation import scorecard_save
from tests.factories.ideas import IdeaFactory, UserFactory, group_with_members, open_round

SUBMISSION = {
    "title": "Trinkbrunnen im Stadtpark",
    "description": "Öffentliche Trinkbrunnen an allen Spielplätzen im Stadtpark.",
    "need": "Kinder haben im Sommer Durst.",
    "topic": "stadtpark",
    "district": "garstedt",
}


def test_list_shows_public_ideas_with_support_counts_and_filters(client, topic):
    idea = IdeaFactory(topic=topic, district="garstedt")
    IdeaFactory(topic=topic, status=IdeaStatus.SUBMITTED)
    Support.objects.create(idea=idea, user=UserFactory())
    body = client.get("/api/v1/ideas/").json()
    assert [row["id"] for row in body["results"]] == [idea.pk]
    assert body["results"][0]["support_count"] == 1
    assert client.get("/api/v1/ideas/", {"district": "harksheide"}).json()["results"] == []


def test_detail_has_the_timeline_and_hides_ideas_in_moderation(client, topic):
    idea = IdeaFactory(topic=topic)
    waiting = IdeaFactory(topic=topic, status=IdeaStatus.SUBMITTED)
    body = client.get(f"/api/v1/ideas/{idea.pk}/").json()
    assert body["timeline"][0]["title"] == "im Ideenspeicher"
    response = client.get(f"/api/v1/ideas/{waiting.pk}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_submitting_needs_a_sign_in(client, topic):
    response = client.post("/api/v1/ideas/", SUBMISSION, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Idea.objects.exists()


def test_a_signed_in_citizen_submits_through_the_api(client, citizen, topic):
    client.force_login(citizen)
    response = client.post("/api/v1/ideas/", SUBMISSION, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == IdeaStatus.SUBMITTED
    assert Idea.objects.get().author == citizen


def test_bad_input_gets_a_clear_problem_response(client, citizen, topic):
    client.force_login(citizen)
    response = client.post(
        "/api/v1/ideas/",
        {**SUBMISSION, "title": "Ab", "topic": "gibt-es-nicht", "district": "mond"},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert set(body["errors"]) == {"title", "topic", "district"}
    assert "Thema" in body["errors"]["topic"][0]


def test_support_is_counted_once_and_can_be_withdrawn(client, citizen, topic):
    idea = IdeaFactory(topic=topic)
    client.force_login(citizen)
    assert client.post(f"/api/v1/ideas/{idea.pk}/support/").status_code == 201
    second = client.post(f"/api/v1/ideas/{idea.pk}/support/")
    assert second.status_code == 200 and second.json() == {"active": True, "created": False}
    assert Support.objects.filter(idea=idea).count() == 1
    assert client.delete(f"/api/v1/ideas/{idea.pk}/support/").json()["active"] is False
    assert client.post(f"/api/v1/ideas/{idea.pk}/follow/").status_code == 201


def test_ideas_in_moderation_cannot_be_supported(client, citizen, topic):
    idea = IdeaFactory(topic=topic, status=IdeaStatus.SUBMITTED)
    client.force_login(citizen)
    assert client.post(f"/api/v1/ideas/{idea.pk}/support/").status_code == 404


@pytest.fixture
def scored_round(topic, moderator):
    group, members = group_with_members(staff=2, ambassadors=0)
    evaluation_round = open_round(group=group, ideas=[IdeaFactory(topic=topic)], actor=moderator)
    criteria = criteria_of(evaluation_round=evaluation_round)
    assignment = evaluation_round.assignments.get()
    scorecard_save(
        assignment=assignment, member=members[0], values={criterion.pk: 5 for criterion in criteria}, submit=True
    )
    return assignment, members, criteria


def test_a_member_asking_for_scores_before_handing_in_gets_nothing(client, scored_round):
    assignment, members, _criteria = scored_round
    client.force_login(members[1])
    body = client.get(f"/api/v1/ideas/scorecards/{assignment.pk}/").json()
    assert body["visible"] is False
    assert body["aggregate"] is None
    assert body["own"]["scores"] == {}


def test_handing_in_through_the_api_unlocks_the_aggregate(client, scored_round):
    assignment, members, criteria = scored_round
    client.force_login(members[1])
    bad = client.post(
        f"/api/v1/ideas/scorecards/{assignment.pk}/",
        {"scores": {str(criteria[0].pk): 9}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert f"criterion_{criteria[0].pk}" in bad.json()["errors"]
    good = client.post(
        f"/api/v1/ideas/scorecards/{assignment.pk}/",
        {"scores": {str(criterion.pk): 1 for criterion in criteria}},
        content_type="application/json",
    )
    body = good.json()
    assert body["visible"] is True
    assert body["aggregate"]["scorers"] == 2
    assert body["round_closed"] is True


def test_someone_outside_the_group_cannot_see_the_scorecard(client, scored_round, moderator):
    assignment, _members, _criteria = scored_round
    client.force_login(UserFactory())
    assert client.get(f"/api/v1/ideas/scorecards/{assignment.pk}/").status_code == 404
    client.force_login(moderator)
    assert client.get(f"/api/v1/ideas/scorecards/{assignment.pk}/").json()["aggregate"] is None


def test_a_merged_idea_answers_with_the_kept_one(client, topic, moderator):
    from ideas.services.submission import idea_merge

    kept, duplicate = IdeaFactory(topic=topic), IdeaFactory(topic=topic)
    Support.objects.create(idea=duplicate, user=UserFactory())
    idea_merge(source=duplicate, target=kept, actor=moderator)
    body = client.get(f"/api/v1/ideas/{duplicate.pk}/").json()
    assert (body["id"], body["support_count"]) == (kept.pk, 1)
