"""Project milestones: followers hear once about each new or finished milestone."""

import datetime

import pytest

from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from ideas.models import Follow, IdeaStatus, MilestoneAnnouncement, ProjectMilestone, ProjectPage
from ideas.services.projects import idea_promote_to_project, project_index_ensure
from ideas.tasks import milestone_notices_send
from notifications.models import PersonalNotice
from tests.factories.ideas import IdeaFactory, UserFactory


@pytest.fixture
def followers(db):
    return [UserFactory(username=f"folgt-{number}") for number in range(2)]


@pytest.fixture
def project(home, topic, moderator, followers, django_capture_on_commit_callbacks):
    idea = IdeaFactory(topic=topic, status=IdeaStatus.SELECTED, title="Trinkbrunnen im Stadtpark")
    for follower in followers:
        Follow.objects.create(idea=idea, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        return idea_promote_to_project(
            idea=idea,
            index=project_index_ensure(home=home),
            actor=moderator,
            milestones=[(timezone.localdate(), "Standorte geprüft", True)],
        )


def _publish(project: ProjectPage, *milestones: tuple[str, bool]) -> None:
    """Publish a new revision with these milestones (title, done); existing titles keep their rows."""
    page = ProjectPage.objects.get(pk=project.pk)
    existing = {milestone.title: milestone for milestone in page.milestones.all()}
    rows = []
    for order, (title, done) in enumerate(milestones):
        milestone = existing.get(title) or ProjectMilestone(title=title, date=datetime.date(2026, 6, 1))
        milestone.done, milestone.sort_order = done, order
        rows.append(milestone)
    page.milestones = rows
    page.save_revision().publish()


def _milestone_notices() -> list[tuple[int, str]]:
    return sorted(
        PersonalNotice.objects.filter(reference__startswith="idea-milestone-").values_list("user", "reference")
    )


def test_a_new_milestone_notifies_the_author_and_each_follower_exactly_once(
    project, followers, django_capture_on_commit_callbacks, mailoutbox
):
    bystander = UserFactory(username="unbeteiligt")
    mails_before = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(project, ("Standorte geprüft", True), ("Brunnen aufgestellt", False))
    with django_capture_on_commit_callbacks(execute=True):
        _publish(project, ("Standorte geprüft", True), ("Brunnen aufgestellt", False))

    [announcement] = MilestoneAnnouncement.objects.filter(milestone__title="Brunnen aufgestellt")
    reference = f"idea-milestone-{announcement.pk}"
    people = [project.idea.author, *followers]
    assert _milestone_notices() == sorted((person.pk, reference) for person in people)
    notice = PersonalNotice.objects.get(user=followers[0], reference=reference)
    assert notice.title == "Neues zur Idee „Trinkbrunnen im Stadtpark“"
    assert notice.body == "Das Projekt zur Idee hat einen neuen Meilenstein."
    assert notice.url == project.idea.get_absolute_url()
    assert "folgt" not in notice.body and "Brunnen aufgestellt" not in notice.body
    assert sorted(message.to[0] for message in mailoutbox[mails_before:]) == sorted(p.email for p in people)
    assert not PersonalNotice.objects.filter(user=bystander).exists()


def test_a_retried_milestone_task_sends_nothing_twice(
    project, followers, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        _publish(project, ("Standorte geprüft", True), ("Brunnen aufgestellt", False))
    announcement = MilestoneAnnouncement.objects.get(milestone__title="Brunnen aufgestellt")
    notices, mails = _milestone_notices(), len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        milestone_notices_send(announcement.pk)

    assert _milestone_notices() == notices
    assert len(mailoutbox) == mails


def test_a_finished_milestone_is_announced_once_and_unticking_it_is_not(
    project, followers, django_capture_on_commit_callbacks
):
    steps = [
        (("Standorte geprüft", True), ("Brunnen aufgestellt", False)),
        (("Standorte geprüft", True), ("Brunnen aufgestellt", True)),
        # Unticked by mistake and ticked again: neither is news.
        (("Standorte geprüft", False), ("Brunnen aufgestellt", False)),
        (("Standorte geprüft", True), ("Brunnen aufgestellt", True)),
    ]
    for milestones in steps:
        with django_capture_on_commit_callbacks(execute=True):
            _publish(project, *milestones)

    done = MilestoneAnnouncement.objects.get(milestone__title="Brunnen aufgestellt", done=True)
    notices = PersonalNotice.objects.filter(user=followers[0], reference__startswith="idea-milestone-")
    assert notices.count() == 2
    assert notices.get(reference=f"idea-milestone-{done.pk}").body == (
        "Ein Meilenstein des Projekts zur Idee ist erledigt."
    )


def test_the_first_publication_and_earlier_milestones_stay_silent_for_new_followers(
    project, django_capture_on_commit_callbacks
):
    assert MilestoneAnnouncement.objects.filter(milestone__page=project).count() == 1
    assert _milestone_notices() == []
    newcomer = UserFactory(username="neu-dabei")
    Follow.objects.create(idea=project.idea, user=newcomer)

    with django_capture_on_commit_callbacks(execute=True):
        _publish(project, ("Standorte geprüft", True))

    assert _milestone_notices() == []
    status_notices = PersonalNotice.objects.filter(user=project.idea.author, reference__startswith="idea-event-")
    assert status_notices.count() == 1  # "Aus der Idee wird ein Projekt."


def test_an_editor_adding_a_milestone_in_the_admin_notifies_followers_once(
    client, project, followers, django_capture_on_commit_callbacks
):
    editor = UserFactory(username="redaktion", is_superuser=True, is_staff=True)
    client.force_login(editor)
    existing = project.milestones.get()

    def publish(rows):
        data = nested_form_data(
            {
                "title": project.title,
                "slug": project.slug,
                "intro": project.intro,
                "body": streamfield([]),
                "milestones": inline_formset(rows, initial=len(ProjectMilestone.objects.filter(page=project))),
                "action-publish": "publish",
            }
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/admin/pages/{project.pk}/edit/", data)
        assert response.status_code == 302

    first = {"id": existing.pk, "date": "2026-05-01", "title": existing.title, "done": "on"}
    publish([first, {"id": "", "date": "2026-06-01", "title": "Brunnen aufgestellt", "done": ""}])
    added = ProjectMilestone.objects.get(page=project, title="Brunnen aufgestellt")
    publish([first, {"id": added.pk, "date": "2026-06-01", "title": "Brunnen aufgestellt", "done": ""}])

    notices = PersonalNotice.objects.filter(user=followers[1], reference__startswith="idea-milestone-")
    assert notices.count() == 1
