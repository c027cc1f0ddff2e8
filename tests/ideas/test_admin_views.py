"""The admin side: the permission matrix, moderation, scoring, decisions, matrix and export."""

import datetime
import io

import pytest

from django.utils import timezone

from ideas.models import EvaluationRound, Idea, IdeaStatus, Recusal
from ideas.selectors.evaluation import criteria_of
from ideas.services.evaluation import scorecard_save
from tests.factories.ideas import IdeaFactory, UserFactory, closed_round_with_recusals, group_with_members, open_round


@pytest.fixture
def two_groups(topic, moderator):
    group_one, members_one = group_with_members(name="Arbeitskreis 1", staff=1, ambassadors=1)
    group_two, members_two = group_with_members(name="Arbeitskreis 2", staff=1, ambassadors=0)
    round_one = open_round(group=group_one, ideas=[IdeaFactory(topic=topic)], actor=moderator)
    round_two = open_round(group=group_two, ideas=[IdeaFactory(topic=topic)], actor=moderator)
    return {
        "round": round_one,
        "other_round": round_two,
        "assignment": round_one.assignments.get(),
        "staff": members_one[0],
        "ambassador": members_one[1],
        "other_member": members_two[0],
        "moderator": moderator,
        "citizen": UserFactory(username="citizen"),
    }


def _close(evaluation_round):
    EvaluationRound.objects.filter(pk=evaluation_round.pk).update(closed_at=timezone.now())


PAGES = {
    "round": "/admin/ideen/runden/{round}/",
    "score": "/admin/ideen/bewerten/{assignment}/",
    "moderation": "/admin/ideen/moderation/",
    "enter": "/admin/ideen/erfassen/",
    "new_round": "/admin/ideen/runden/neu/",
    "export": "/admin/ideen/runden/{round}/export.csv",
}
ALLOWED = 200
DENIED = 302  # Wagtail's admin answers a PermissionDenied with a redirect and a message
HIDDEN = 404
MATRIX = {
    # role: round, score, moderation, enter, new round, export (of a closed round)
    "citizen": (DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    "ambassador": (ALLOWED, ALLOWED, DENIED, DENIED, DENIED, DENIED),
    "other_member": (HIDDEN, HIDDEN, DENIED, DENIED, DENIED, HIDDEN),
    "staff": (ALLOWED, ALLOWED, DENIED, DENIED, DENIED, ALLOWED),
    "moderator": (ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED),
}


@pytest.mark.parametrize("role", MATRIX)
def test_permission_matrix(client, two_groups, role):
    _close(two_groups["round"])
    client.force_login(two_groups[role])
    ids = {"round": two_groups["round"].pk, "assignment": two_groups["assignment"].pk}
    seen = tuple(client.get(url.format(**ids)).status_code for url in PAGES.values())
    assert seen == MATRIX[role]


def test_a_member_never_sees_another_groups_round_in_the_list(client, two_groups):
    client.force_login(two_groups["ambassador"])
    page = client.get("/admin/ideen/").content.decode()
    assert two_groups["round"].title in page
    assert f"/admin/ideen/runden/{two_groups['other_round'].pk}/" not in page


def test_moderator_publishes_rejects_and_merges_from_the_queue(client, topic, moderator):
    waiting, rejected, duplicate = (IdeaFactory(topic=topic, status=IdeaStatus.SUBMITTED) for _ in range(3))
    target = IdeaFactory(topic=topic)
    client.force_login(moderator)
    assert waiting.title in client.get("/admin/ideen/moderation/").content.decode()
    client.post(f"/admin/ideen/moderation/{waiting.pk}/", {"action": "veroeffentlichen"})
    client.post(f"/admin/ideen/moderation/{rejected.pk}/", {"action": "ablehnen", f"reject-{rejected.pk}-reason": ""})
    assert Idea.objects.get(pk=rejected.pk).status == IdeaStatus.SUBMITTED
    client.post(
        f"/admin/ideen/moderation/{rejected.pk}/", {"action": "ablehnen", f"reject-{rejected.pk}-reason": "Doppelt."}
    )
    client.post(
        f"/admin/ideen/moderation/{duplicate.pk}/",
        {"action": "zusammenfuehren", f"merge-{duplicate.pk}-target": target.pk},
    )
    statuses = dict(Idea.objects.values_list("pk", "status"))
    assert statuses[waiting.pk] == IdeaStatus.PUBLISHED
    assert statuses[rejected.pk] == IdeaStatus.NOT_PUBLISHED
    assert statuses[duplicate.pk] == IdeaStatus.MERGED


def test_staff_enter_a_phone_idea_on_a_citizens_behalf(client, topic, moderator, citizen):
    client.force_login(moderator)
    client.post(
        "/admin/ideen/erfassen/",
        {
            "title": "Mehr Bänke am See",
            "description": "Am Stadtparksee fehlen Bänke zum Ausruhen für ältere Menschen.",
            "need": "Ältere Menschen brauchen Pausen.",
            "topic": topic.pk,
            "source": "telefon",
            "author_email": citizen.email,
        },
    )
    idea = Idea.objects.get(title="Mehr Bänke am See")
    assert (idea.source, idea.author, idea.entered_by) == ("telefon", citizen, moderator)


def test_member_scores_blind_then_sees_aggregate_and_matrix(client, two_groups):
    assignment, staff, ambassador = two_groups["assignment"], two_groups["staff"], two_groups["ambassador"]
    criteria = criteria_of(evaluation_round=assignment.round)
    scorecard_save(assignment=assignment, member=staff, values={criterion.pk: 4 for criterion in criteria})
    client.force_login(ambassador)
    before = client.get(f"/admin/ideen/bewerten/{assignment.pk}/").content.decode()
    assert "sehen Sie, wenn Sie Ihre eigene abgegeben haben" in before
    assert "Auswertung von" not in before
    round_page = client.get(f"/admin/ideen/runden/{assignment.round_id}/").content.decode()
    assert "matrix-title" not in round_page
    response = client.post(
        f"/admin/ideen/bewerten/{assignment.pk}/", {f"criterion_{criterion.pk}": 2 for criterion in criteria}
    )
    assert response.status_code == 302
    after = client.get(f"/admin/ideen/bewerten/{assignment.pk}/").content.decode()
    assert "Auswertung von 2 Bewertungen" in after
    round_page = client.get(f"/admin/ideen/runden/{assignment.round_id}/").content.decode()
    assert "matrix-title" in round_page and "Die Matrix als Tabelle" in round_page


def test_a_member_recuses_from_the_scorecard_page(client, two_groups):
    client.force_login(two_groups["ambassador"])
    client.post(f"/admin/ideen/bewerten/{two_groups['assignment'].pk}/befangen/", {"reason": "Mein Nachbar."})
    assert Recusal.objects.filter(member=two_groups["ambassador"]).exists()


def test_decision_and_export_after_the_round_closed(client, two_groups):
    assignment = two_groups["assignment"]
    criteria = criteria_of(evaluation_round=assignment.round)
    for member in (two_groups["staff"], two_groups["ambassador"]):
        scorecard_save(assignment=assignment, member=member, values={criterion.pk: 3 for criterion in criteria})
    client.force_login(two_groups["staff"])
    client.post(f"/admin/ideen/entscheiden/{assignment.pk}/", {"outcome": "auswaehlen", "reason": "Guter Pilot."})
    assignment.idea.refresh_from_db()
    assert assignment.idea.status == IdeaStatus.SELECTED
    csv_text = client.get(f"/admin/ideen/runden/{assignment.round_id}/export.csv").content.decode("utf-8-sig")
    header, row = csv_text.strip().splitlines()
    assert header.startswith("Idee;Titel;Bewertende;Gesamt")
    assert row.endswith("auswählen;Guter Pilot.")
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(client.get(f"/admin/ideen/runden/{assignment.round_id}/export.xlsx").content))
    assert workbook.active["C2"].value == 2


def test_public_matrix_only_when_published_and_closed(client, two_groups):
    evaluation_round = two_groups["round"]
    assert client.get(f"/de/ideen/runden/{evaluation_round.pk}/matrix/").status_code == 404
    EvaluationRound.objects.filter(pk=evaluation_round.pk).update(
        show_matrix_publicly=True, deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(f"/de/ideen/runden/{evaluation_round.pk}/matrix/").status_code == 200


def test_the_audit_log_and_export_show_a_departed_member_without_their_name(client, topic, moderator):
    from accounts.services import account_delete

    evaluation_round, (first, _second, _ambassador) = closed_round_with_recusals(topic=topic, actor=moderator)
    client.force_login(moderator)
    csv_url = f"/admin/ideen/runden/{evaluation_round.pk}/export.csv"
    xlsx_url = f"/admin/ideen/runden/{evaluation_round.pk}/export.xlsx"
    csv_before = client.get(csv_url).content
    assert first.email in client.get(f"/admin/ideen/runden/{evaluation_round.pk}/").content.decode()

    account_delete(user=first)

    page = client.get(f"/admin/ideen/runden/{evaluation_round.pk}/").content.decode()
    assert "ausgeschiedenes Mitglied 1" in page
    assert first.email not in page
    csv_after = client.get(csv_url).content
    assert csv_after == csv_before  # aggregates only: no names, and the same figures as before
    assert first.email.encode() not in csv_after and first.username.encode() not in csv_after
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get(xlsx_url).content)).active
    assert [sheet["C2"].value, sheet["C3"].value] == [2, 2]
