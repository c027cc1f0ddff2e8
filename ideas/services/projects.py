"""From a selected idea to a project page under "Projekte", and announcing its milestones."""

import datetime
from collections.abc import Iterable
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.models import Page

from home.models import HomePage
from ideas.models import (
    Idea,
    IdeaStatus,
    MilestoneAnnouncement,
    ProjectIndexPage,
    ProjectMilestone,
    ProjectPage,
)
from ideas.services.transitions import idea_transition

# Addresses spell umlauts the German way: Schließfächer → schliessfaecher.
GERMAN_LETTERS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def project_index_ensure(*, home: HomePage, title: str = "Projekte", slug: str = "projekte") -> ProjectIndexPage:
    index = ProjectIndexPage.objects.filter(locale=home.locale).first()
    if index is None:
        index = home.add_child(instance=ProjectIndexPage(title=title, slug=slug, locale=home.locale))
        index.save_revision().publish()
    return index


@transaction.atomic
def idea_promote_to_project(
    *,
    idea: Idea,
    index: Page,
    actor: AbstractBaseUser,
    milestones: Iterable[tuple[datetime.date, str, bool]] = (),
    publish: bool = True,
) -> ProjectPage:
    """Create the project page for a selected idea; the idea's timeline follows the project from then on."""
    if idea.status != IdeaStatus.SELECTED:
        raise ValidationError(_("Nur ausgewählte Ideen werden zu Projekten."))
    slug = slugify(idea.title.translate(GERMAN_LETTERS))[:50] or f"projekt-{idea.pk}"
    if Page.objects.filter(path__startswith=index.path, depth=index.depth + 1, slug=slug).exists():
        slug = f"{slug}-{idea.pk}"
    project = ProjectPage(title=idea.title, slug=slug, intro=idea.description[:1000], idea=idea, owner=actor)
    for order, (date, title, done) in enumerate(milestones):
        project.milestones.add(ProjectMilestone(sort_order=order, date=date, title=title, done=done))
    index.add_child(instance=project)
    revision = project.save_revision(user=actor)
    if publish:
        # Permission to promote is ``ideas.manage_evaluation``, checked by the caller; the
        # moderator need not be a page editor, so the page-level check is skipped.
        revision.publish(user=actor, skip_permission_checks=True)
    idea_transition(
        idea=idea,
        status=IdeaStatus.IN_PROJECT,
        reason=_("Aus der Idee wird das Projekt „%(title)s“.") % {"title": project.title},
        actor=actor,
    )
    return project


def _announcement_due(milestone: ProjectMilestone, announced: set[tuple[int, bool]]) -> bool:
    """New, or newly done. A milestone that was done and is unticked again is not new."""
    return (milestone.pk, milestone.done) not in announced and (milestone.pk, True) not in announced


@transaction.atomic
def project_milestones_announce(*, project: ProjectPage) -> list[MilestoneAnnouncement]:
    """Record each milestone that is new or newly done on a published project; its idea's
    author and followers are told after commit (``ideas.tasks.milestone_notices_send``).

    Runs on every publication of a project page and is idempotent: an announced
    change is never announced again. Only the German source page counts (as on
    the idea's timeline); translations copy its milestones. The milestones a
    project has when it is first published are recorded without a notice,
    because "Aus der Idee wird ein Projekt" already tells followers about it.
    Changing a milestone's title or date announces nothing.
    """
    if not project.live or project.idea_id is None or project.locale.language_code != "de":
        return []
    announced = set(MilestoneAnnouncement.objects.filter(milestone__page=project).values_list("milestone_id", "done"))
    created = []
    for milestone in ProjectMilestone.objects.filter(page=project).order_by("sort_order", "pk"):
        if _announcement_due(milestone, announced):
            announcement, new = MilestoneAnnouncement.objects.get_or_create(milestone=milestone, done=milestone.done)
            if new:
                created.append(announcement)
    if project.first_published_at == project.last_published_at:
        return created
    from ideas.tasks import enqueue_milestone_notices

    for announcement in created:
        transaction.on_commit(partial(enqueue_milestone_notices, announcement_id=announcement.pk))
    return created
