"""The demo shows a full round from submission to a project page, and seeding twice changes nothing."""

from django.core.management import call_command

from ideas.models import Decision, EvaluationRound, Idea, IdeaStatus, ProjectPage, WorkingGroup


def test_demo_has_a_finished_round_with_three_pilots_and_a_project(db, capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    assert 18 <= Idea.objects.count() <= 22
    assert WorkingGroup.objects.count() == 4
    finished = EvaluationRound.objects.get(title="Bewertungsrunde Frühjahr 2026")
    assert finished.is_closed
    assert Decision.objects.filter(assignment__round=finished, outcome=Decision.Outcome.SELECT).count() == 3
    project = ProjectPage.objects.live().get()
    assert project.idea.status == IdeaStatus.IN_PROJECT
    assert project.milestones.count() == 3
    assert project.slug == "schliessfaecher-im-stadtpark"
    assert Idea.objects.filter(status=IdeaStatus.SUBMITTED).exists()
    assert EvaluationRound.objects.filter(closed_at__isnull=True).count() == 1
