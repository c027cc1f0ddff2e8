"""What citizens see: the idea list, an idea with its timeline, similar ideas, projects."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Page

from ideas.models import PUBLIC_STATUSES, District, Follow, Idea, IdeaStatus, ProjectMilestone, ProjectPage, Support
from notifications.selectors import topic_by_slug, topics_for_locale

IDEAS_PER_PAGE = 20
SORTS = {"neueste": "-published_at", "unterstuetzt": "-support_count"}
SIMILAR_LIMIT = 5
TRIGRAM_THRESHOLD = 0.2


def ideas_public() -> QuerySet[Idea]:
    """Public ideas with their support count and what lists render."""
    return (
        Idea.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("topic")
        .annotate(support_count=Count("supports", distinct=True))
    )


def ideas_filtered(
    *, topic_slug: str = "", status: str = "", district: str = "", sort: str = "neueste"
) -> QuerySet[Idea]:
    """Filter by topic (by slug, so every locale's topic matches), status and district."""
    queryset = ideas_public()
    if topic_slug:
        queryset = queryset.filter(topic__slug=topic_slug)
    if status in PUBLIC_STATUSES:
        queryset = queryset.filter(status=status)
    if district in District.values:
        queryset = queryset.filter(district=district)
    return queryset.order_by(SORTS.get(sort, SORTS["neueste"]), "-pk")


def idea_index_context(*, index: Page, query, user: AbstractBaseUser) -> dict[str, Any]:
    topic = topic_by_slug(slug=query.get("thema", ""), locale=index.locale) if query.get("thema") else None
    status = query.get("status", "")
    district = query.get("stadtteil", "")
    sort = query.get("sortierung", "neueste")
    ideas_page = Paginator(
        ideas_filtered(topic_slug=topic.slug if topic else "", status=status, district=district, sort=sort),
        IDEAS_PER_PAGE,
    ).get_page(query.get("seite", "1"))
    topics = list(topics_for_locale(locale=index.locale))
    names = {topic.slug: topic.name for topic in topics}
    supported = set()
    if user.is_authenticated:
        supported = set(
            Support.objects.filter(user=user, idea__in=[idea.pk for idea in ideas_page]).values_list(
                "idea_id", flat=True
            )
        )
    for idea in ideas_page:
        idea.topic_name = names.get(idea.topic.slug, idea.topic.name)
        idea.supported_by_viewer = idea.pk in supported
    filters = {"thema": topic.slug if topic else "", "status": status, "stadtteil": district, "sortierung": sort}
    return {
        "ideas_page": ideas_page,
        "topics": topics,
        "statuses": [(value, IdeaStatus(value).label) for value in PUBLIC_STATUSES],
        "districts": District.choices,
        "filters": filters,
        "filter_query": "&".join(f"{key}={value}" for key, value in filters.items() if value),
    }


def idea_for_viewer(*, pk: int, user: AbstractBaseUser) -> Idea | None:
    """A public idea, or a not-yet-public one for its author and for moderators."""
    idea = (
        Idea.objects.select_related("topic", "merged_into")
        .annotate(support_count=Count("supports", distinct=True))
        .filter(pk=pk)
        .first()
    )
    if idea is None:
        return None
    if idea.is_public or idea.status == IdeaStatus.MERGED:
        return idea
    if user.is_authenticated and (idea.author_id == user.pk or user.has_perm("ideas.moderate_idea")):
        return idea
    return None


@dataclass(frozen=True)
class TimelineEntry:
    date: datetime.date
    title: str
    reason: str
    kind: str  # "status" or "milestone"
    done: bool = True


def idea_timeline(*, idea: Idea, include_private: bool = False) -> list[TimelineEntry]:
    """Every public step with its date and reason, then the project's milestones."""
    events = idea.events.all() if include_private else idea.events.filter(public=True)
    entries = [
        TimelineEntry(timezone.localdate(event.created_at), IdeaStatus(event.status).label, event.reason, "status")
        for event in events
    ]
    milestones = ProjectMilestone.objects.filter(
        page__idea=idea, page__live=True, page__locale__language_code="de"
    ).order_by("date", "sort_order")
    entries += [
        TimelineEntry(milestone.date, milestone.title, _("Meilenstein des Projekts"), "milestone", milestone.done)
        for milestone in milestones
    ]
    return entries


def idea_project(*, idea: Idea) -> ProjectPage | None:
    project = ProjectPage.objects.live().filter(idea=idea, locale__language_code="de").first()
    if project is None:
        return None
    return project.localized


def viewer_relation(*, idea: Idea, user: AbstractBaseUser) -> dict[str, bool]:
    if not user.is_authenticated:
        return {"supported": False, "following": False}
    return {
        "supported": Support.objects.filter(idea=idea, user=user).exists(),
        "following": Follow.objects.filter(idea=idea, user=user).exists(),
    }


def ideas_similar(*, title: str, exclude_pk: int | None = None, limit: int = SIMILAR_LIMIT) -> list[Idea]:
    """Public ideas whose titles resemble ``title``: a hint while typing, never a block.

    On PostgreSQL by trigram similarity (pg_trgm); elsewhere by shared words.
    """
    title = title.strip()[:120]
    if len(title) < 4:
        return []
    candidates = Idea.objects.filter(status__in=PUBLIC_STATUSES).exclude(pk=exclude_pk)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        return list(
            candidates.annotate(similarity=TrigramSimilarity("title", title))
            .filter(similarity__gte=TRIGRAM_THRESHOLD)
            .order_by("-similarity", "-pk")[:limit]
        )
    words = {word.lower() for word in title.replace("-", " ").split() if len(word) >= 4}
    if not words:
        return []
    condition = Q()
    for word in words:
        condition |= Q(title__icontains=word[:6])
    matches = list(candidates.filter(condition)[:50])
    matches.sort(key=lambda idea: -sum(word[:6] in idea.title.lower() for word in words))
    return matches[:limit]


def ideas_of_author(*, user: AbstractBaseUser) -> list[Idea]:
    return list(Idea.objects.filter(author=user).select_related("merged_into").order_by("-created_at"))


def projects_live(*, index: Page) -> list[ProjectPage]:
    return list(
        ProjectPage.objects.live().child_of(index).prefetch_related("milestones").order_by("-first_published_at")
    )
