"""GDPR export and erasure of a citizen's ideas, supports and follows (registered with accounts.registry).

An idea that reached the public idea store is part of the town's public record:
working groups scored it and decided on it with public reasons, and other
people support and follow it. So erasure keeps it, detached from the person;
an idea that never became public is deleted (docs/decisions.md).

A working-group member's scorecards, recusals and audit entries are the record
of the town's evaluation, so they are kept too, under a pseudonym per round.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, QuerySet

from ideas.models import (
    PUBLIC_STATUSES,
    EvaluationRound,
    Follow,
    Idea,
    IdeaStatus,
    Membership,
    Recusal,
    ScoreAuditEntry,
    Scorecard,
    Support,
)

COVERS = frozenset(
    {
        "ideas.Idea.author",
        "ideas.Idea.moderation_reason",
        "ideas.Support.user",
        "ideas.Follow.user",
        "ideas.Membership.user",
        "ideas.Scorecard.member",
        "ideas.Recusal.member",
        "ideas.Recusal.reason",
        "ideas.ScoreAuditEntry.member",
    }
)
STAFF_RECORD = "the staff member or moderator who acted; their own account, not the citizen's"
NOT_PERSONAL = {
    "ideas.Idea.entered_by": "the staff member who entered an idea for a caller",
    "ideas.IdeaEvent.actor": STAFF_RECORD + "; set to null with the account",
    "ideas.IdeaEvent.reason": "the moderators' public reason for a status change",
    "ideas.Decision.decided_by": STAFF_RECORD,
    "ideas.Decision.reason": "the working group's public reason for a decision",
    "ideas.ScoreAuditEntry.actor": "the round's lead who reopened a card; set to null with the account",
    "ideas.ScoreAuditEntry.reason": "the lead's reason for reopening a card, part of the round's record",
    "ideas.WorkingGroup.name": "a working group",
    "ideas.Criterion.name": "a scorecard criterion",
}

# Public ideas, and merged ones (a merged idea lives on as a redirect to the one it joined).
KEPT_STATUSES = [*PUBLIC_STATUSES, IdeaStatus.MERGED]


def _idea_export(idea: Idea) -> dict[str, Any]:
    return {
        "title": idea.title,
        "description": idea.description,
        "need": idea.need,
        "topic": idea.topic.name,
        "district": idea.district,
        "image": idea.image.name if idea.image else None,
        "image_alt": idea.image_alt,
        "source": idea.source,
        "status": idea.status,
        "moderation_reason": idea.moderation_reason,
        "created_at": idea.created_at.isoformat(),
        "published_at": idea.published_at.isoformat() if idea.published_at else None,
    }


def _scorecards_export(user: AbstractBaseUser) -> list[dict[str, Any]]:
    scorecards = (
        Scorecard.objects.filter(member=user)
        .select_related("assignment__idea", "assignment__round")
        .prefetch_related("scores__criterion")
        .order_by("pk")
    )
    return [
        {
            "round": scorecard.assignment.round.title,
            "idea": scorecard.assignment.idea.title,
            "submitted_at": scorecard.submitted_at.isoformat() if scorecard.submitted_at else None,
            "scores": {score.criterion.name: score.value for score in scorecard.scores.all()},
        }
        for scorecard in scorecards
    ]


def ideas_export(*, user: AbstractBaseUser) -> dict[str, list[dict[str, Any]]]:
    """The citizen's own ideas, what they support and follow, and, for working-group members,
    their memberships, their own scorecards and recusals (never other members' scores)."""
    ideas = Idea.objects.filter(author=user).select_related("topic").order_by("created_at")
    supports = Support.objects.filter(user=user).select_related("idea").order_by("created_at")
    follows = Follow.objects.filter(user=user).select_related("idea").order_by("created_at")
    memberships = Membership.objects.filter(user=user).select_related("group").order_by("group__name")
    recusals = Recusal.objects.filter(member=user).select_related("assignment__idea").order_by("created_at")
    return {
        "ideas": [_idea_export(idea) for idea in ideas],
        "supports": [
            {"idea": support.idea.title, "created_at": support.created_at.isoformat()} for support in supports
        ],
        "follows": [{"idea": follow.idea.title, "created_at": follow.created_at.isoformat()} for follow in follows],
        "working_groups": [{"group": membership.group.name, "role": membership.role} for membership in memberships],
        "scorecards": _scorecards_export(user),
        "score_history": [
            {
                "idea": entry.assignment.idea.title,
                "action": entry.action,
                "criterion": entry.criterion.name if entry.criterion else None,
                "old_value": entry.old_value,
                "new_value": entry.new_value,
                "created_at": entry.created_at.isoformat(),
            }
            for entry in ScoreAuditEntry.objects.filter(member=user)
            .select_related("assignment__idea", "criterion")
            .order_by("created_at", "pk")
        ],
        "recusals": [
            {
                "idea": recusal.assignment.idea.title,
                "reason": recusal.reason,
                "created_at": recusal.created_at.isoformat(),
            }
            for recusal in recusals
        ],
    }


def _images_delete(names: list[str]) -> None:
    storage = Idea._meta.get_field("image").storage
    for name in names:
        storage.delete(name)


EVALUATION_RECORDS = (Scorecard, Recusal, ScoreAuditEntry)


def _rounds_locked(round_ids: set[int]) -> QuerySet[EvaluationRound]:
    """Two members leaving one round at once must not draw the same number."""
    return EvaluationRound.objects.select_for_update().filter(pk__in=round_ids).order_by("pk")


def _next_pseudonym(evaluation_round: EvaluationRound) -> int:
    highest = [
        model.objects.filter(assignment__round=evaluation_round).aggregate(highest=Max("pseudonym"))["highest"] or 0
        for model in EVALUATION_RECORDS
    ]
    return max(highest) + 1


@transaction.atomic
def evaluation_member_detach(*, user: AbstractBaseUser) -> None:
    """Keep a departing member's scorecards, recusals and audit entries, without the person.

    Each round the member took part in gives them the next free number ("ausgeschiedenes
    Mitglied 3"), on every one of their rows in that round: a card still pairs with its
    recusal, so averages, spreads and counts of a closed round stay exactly as they were,
    and the audit trail still tells one member's changes apart from another's. Numbers are
    per round, so the rounds cannot be linked to each other through them. The round row is
    locked, so two members leaving at once never share a number. Idempotent: afterwards no
    row refers to the user.
    """
    round_ids = set()
    for model in EVALUATION_RECORDS:
        round_ids |= set(model.objects.filter(member=user).values_list("assignment__round_id", flat=True))
    for evaluation_round in _rounds_locked(round_ids):
        pseudonym = _next_pseudonym(evaluation_round)
        for model in EVALUATION_RECORDS:
            model.objects.filter(member=user, assignment__round=evaluation_round).update(
                member=None, pseudonym=pseudonym
            )


@transaction.atomic
def ideas_erase(*, user: AbstractBaseUser) -> None:
    """Detach the person from public ideas, delete their ideas that never became public,
    and drop their supports and follows.

    An unpublished idea's image file goes with it. Supports are deleted, not
    anonymised: an idea's support count then shows the people who still stand
    behind it. Timeline entries keep no trace of the person (``IdeaEvent.actor``
    is set to null with the account). Evaluation records stay under a pseudonym
    (``evaluation_member_detach``); the memberships go with the account.
    """
    evaluation_member_detach(user=user)
    unpublished = Idea.objects.filter(author=user).exclude(status__in=KEPT_STATUSES)
    images = [idea.image.name for idea in unpublished if idea.image]
    unpublished.delete()
    # Files are not transactional: remove them only once the rows are gone for good.
    transaction.on_commit(lambda: _images_delete(images))
    Idea.objects.filter(author=user).update(author=None)
    Support.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
