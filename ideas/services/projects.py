"""From a selected idea to a project page under "Projekte"."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.models import Page

from home.models import HomePage
from ideas.models import Idea, IdeaStatus, ProjectIndexPage, ProjectMilestone, ProjectPage
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
