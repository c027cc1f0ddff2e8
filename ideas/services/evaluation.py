"""Working groups, evaluation rounds, blind scoring, recusal, closing and decisions."""

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ideas.models import (
    Assignment,
    Criterion,
    Decision,
    Direction,
    EvaluationRound,
    Idea,
    IdeaStatus,
    MatrixAxis,
    Membership,
    Recusal,
    Score,
    ScoreAuditEntry,
    Scorecard,
    WorkingGroup,
)
from ideas.services.transitions import idea_transition

SCORECARD_FINAL = gettext_lazy(
    "Ihr Bewertungsbogen ist abgegeben und gilt für diese Runde. Ändern lässt er sich nur, wenn die "
    "Leitung der Runde ihn mit Begründung wieder öffnet."
)

IDEA_MODERATORS = "Ideen-Moderation"
WORKING_GROUP_MEMBERS = "Arbeitskreise"
AMBASSADORS = "Zukunftsbotschafter*innen"
MODERATOR_PERMISSIONS = [
    "moderate_idea",
    "manage_evaluation",
    "view_idea",
    "add_workinggroup",
    "change_workinggroup",
    "view_workinggroup",
]

# Norderstedt's process: a benefit-and-complexity check, then sustainability, reach and cost.
DEFAULT_CRITERIA = [
    (
        "Nutzen",
        "Wie sehr hilft die Idee den Menschen in Norderstedt?",
        "3",
        Direction.HIGHER_IS_BETTER,
        MatrixAxis.BENEFIT,
    ),
    (
        "Komplexität",
        "Wie schwer ist die Umsetzung (Technik, Abstimmung, Recht)?",
        "2",
        Direction.LOWER_IS_BETTER,
        MatrixAxis.COMPLEXITY,
    ),
    (
        "Nachhaltigkeit",
        "Wirkt die Idee dauerhaft, auch für Umwelt und Klima?",
        "2",
        Direction.HIGHER_IS_BETTER,
        MatrixAxis.NONE,
    ),
    ("Reichweite", "Wie viele Menschen erreicht die Idee?", "1", Direction.HIGHER_IS_BETTER, MatrixAxis.NONE),
    ("Kosten", "Wie teuer sind Umsetzung und Betrieb?", "2", Direction.LOWER_IS_BETTER, MatrixAxis.NONE),
]

DECISION_STATUS = {
    Decision.Outcome.SELECT: IdeaStatus.SELECTED,
    Decision.Outcome.DEFER: IdeaStatus.DEFERRED,
    Decision.Outcome.REJECT: IdeaStatus.REJECTED,
}


@transaction.atomic
def ideas_staff_groups_ensure() -> dict[str, Group]:
    """Ideen-Moderation moderates, merges, runs rounds and decides. Arbeitskreise and
    Zukunftsbotschafter*innen only get into the admin; what they see there is limited
    to the rounds of the working groups they belong to (``ideas.selectors.rounds_visible_to``)."""
    groups = {
        name: Group.objects.get_or_create(name=name)[0]
        for name in (IDEA_MODERATORS, WORKING_GROUP_MEMBERS, AMBASSADORS)
    }
    admin_access = Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    for group in groups.values():
        group.permissions.add(*admin_access)
    groups[IDEA_MODERATORS].permissions.add(
        *Permission.objects.filter(content_type__app_label="ideas", codename__in=MODERATOR_PERMISSIONS)
    )
    return groups


@transaction.atomic
def working_group_create(
    *, name: str, description: str = "", criteria: Iterable[tuple] = DEFAULT_CRITERIA
) -> WorkingGroup:
    group, created = WorkingGroup.objects.get_or_create(name=name, defaults={"description": description})
    if created:
        for order, (criterion_name, text, weight, direction, axis) in enumerate(criteria):
            Criterion.objects.create(
                group=group,
                sort_order=order,
                name=criterion_name,
                description=text,
                weight=Decimal(weight),
                direction=direction,
                matrix_axis=axis,
            )
    return group


@transaction.atomic
def membership_add(*, group: WorkingGroup, user: AbstractBaseUser, role: str = Membership.Role.STAFF) -> Membership:
    """Add a member and give them admin access through the matching Django group."""
    membership, _created = Membership.objects.update_or_create(group=group, user=user, defaults={"role": role})
    name = AMBASSADORS if role == Membership.Role.AMBASSADOR else WORKING_GROUP_MEMBERS
    django_group = ideas_staff_groups_ensure()[name]
    user.groups.add(django_group)
    return membership


@transaction.atomic
def round_create(
    *, group: WorkingGroup, title: str, deadline: datetime.datetime, ideas: Iterable[Idea], actor: AbstractBaseUser
) -> EvaluationRound:
    """Open a round: each idea moves to "in Bewertung" and appears on every member's list."""
    ideas = list(ideas)
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("Die Frist muss in der Zukunft liegen.")})
    if not ideas:
        raise ValidationError({"ideas": _("Wählen Sie mindestens eine Idee.")})
    evaluation_round = EvaluationRound.objects.create(group=group, title=title, deadline=deadline)
    for idea in ideas:
        Assignment.objects.create(round=evaluation_round, idea=idea)
        idea_transition(
            idea=idea,
            status=IdeaStatus.IN_EVALUATION,
            reason=_("Der Arbeitskreis „%(group)s“ bewertet die Idee.") % {"group": group.name},
            actor=actor,
        )
    return evaluation_round


def _require_member(assignment: Assignment, member: AbstractBaseUser) -> None:
    if not Membership.objects.filter(group_id=assignment.round.group_id, user=member).exists():
        raise PermissionDenied(_("Nur Mitglieder des Arbeitskreises bewerten."))


def _require_open(evaluation_round: EvaluationRound) -> None:
    if evaluation_round.is_closed:
        raise ValidationError(_("Die Runde ist abgeschlossen. Bewertungen sind nicht mehr möglich."))


def _validated(values: Mapping[int, int], criteria: list[Criterion], *, complete: bool) -> dict[int, int]:
    by_id = {criterion.pk: criterion for criterion in criteria}
    errors = {}
    clean = {}
    for key, value in values.items():
        criterion = by_id.get(int(key))
        if criterion is None:
            errors["scores"] = [_("Dieses Kriterium gehört nicht zum Bewertungsbogen.")]
            continue
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not criterion.scale_min <= value <= criterion.scale_max
        ):
            errors[f"criterion_{criterion.pk}"] = [
                _("Bitte eine ganze Zahl von %(low)s bis %(high)s für „%(name)s“.")
                % {"low": criterion.scale_min, "high": criterion.scale_max, "name": criterion.name}
            ]
            continue
        clean[criterion.pk] = value
    if complete and not errors and set(clean) != set(by_id):
        errors["scores"] = [_("Bitte bewerten Sie jedes Kriterium, bevor Sie abgeben.")]
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def scorecard_save(
    *, assignment: Assignment, member: AbstractBaseUser, values: Mapping[int, int], submit: bool = True
) -> Scorecard:
    """Save a member's scores; with ``submit`` the card is handed in and every criterion is required.

    A draft may change until it is handed in; a handed-in card is final for the round and raises
    ``ValidationError`` (code ``scorecard_final``) until the round's lead reopens it
    (``scorecard_reopen``). Each changed value writes a ``ScoreAuditEntry``. Handing in may close
    the round.
    """
    assignment = Assignment.objects.select_related("round").get(pk=assignment.pk)
    _require_member(assignment, member)
    evaluation_round = EvaluationRound.objects.select_for_update().get(pk=assignment.round_id)
    _require_open(evaluation_round)
    if Recusal.objects.filter(assignment=assignment, member=member).exists():
        raise ValidationError(_("Sie haben sich für diese Idee für befangen erklärt."))
    criteria = list(Criterion.objects.filter(group_id=evaluation_round.group_id))
    # The round's row lock above serialises every card of the round, so creating here cannot race.
    scorecard = Scorecard.objects.filter(assignment=assignment, member=member).first()
    if scorecard is not None and scorecard.submitted_at is not None:
        raise ValidationError(SCORECARD_FINAL, code="scorecard_final")
    clean = _validated(values, criteria, complete=submit)
    if scorecard is None:
        scorecard = Scorecard.objects.create(assignment=assignment, member=member)
    existing = {score.criterion_id: score for score in scorecard.scores.all()}
    now = timezone.now()
    for criterion_id, value in clean.items():
        score = existing.get(criterion_id)
        if score is not None and score.value == value:
            continue
        ScoreAuditEntry.objects.create(
            assignment=assignment,
            member=member,
            criterion_id=criterion_id,
            action="geändert" if score else "vergeben",
            old_value=score.value if score else None,
            new_value=value,
            created_at=now,
        )
        if score is None:
            Score.objects.create(scorecard=scorecard, criterion_id=criterion_id, value=value)
        else:
            Score.objects.filter(pk=score.pk).update(value=value)
    if submit and scorecard.submitted_at is None:
        scorecard.submitted_at = now
        scorecard.save(update_fields=["submitted_at"])
        ScoreAuditEntry.objects.create(assignment=assignment, member=member, action="abgegeben", created_at=now)
    if submit:
        round_close_if_complete(evaluation_round=evaluation_round)
    return scorecard


@transaction.atomic
def scorecard_reopen(*, scorecard: Scorecard, reason: str, actor: AbstractBaseUser) -> Scorecard:
    """The round's lead gives a handed-in card back to its member, with a recorded reason.

    Only someone who may decide for the round (``can_decide``), never the card's own member, and only
    while the round is open. The member sees the others' scores again once they hand in anew.
    Raises ``PermissionDenied`` or ``ValidationError``.
    """
    scorecard = Scorecard.objects.select_for_update().select_related("assignment__round").get(pk=scorecard.pk)
    evaluation_round = scorecard.assignment.round
    if not can_decide(evaluation_round=evaluation_round, user=actor):
        raise PermissionDenied(_("Einen Bewertungsbogen öffnen darf nur die Leitung der Runde."))
    if scorecard.member_id is None or scorecard.member_id == actor.pk:
        raise PermissionDenied(_("Den eigenen Bewertungsbogen muss eine andere Person der Leitung öffnen."))
    _require_open(evaluation_round)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Bitte schreiben Sie, warum der Bogen wieder geöffnet wird.")})
    if scorecard.submitted_at is None:
        return scorecard
    scorecard.submitted_at = None
    scorecard.save(update_fields=["submitted_at"])
    ScoreAuditEntry.objects.create(
        assignment=scorecard.assignment,
        member_id=scorecard.member_id,
        action="wieder geöffnet",
        actor=actor,
        reason=reason[:250],
    )
    return scorecard


@transaction.atomic
def recusal_declare(*, assignment: Assignment, member: AbstractBaseUser, reason: str = "") -> Recusal:
    """A conflict of interest: recorded, and this member's scores on the idea no longer count."""
    assignment = Assignment.objects.select_related("round").get(pk=assignment.pk)
    _require_member(assignment, member)
    _require_open(assignment.round)
    recusal, created = Recusal.objects.get_or_create(assignment=assignment, member=member, defaults={"reason": reason})
    if created:
        ScoreAuditEntry.objects.create(assignment=assignment, member=member, action="befangen")
        round_close_if_complete(evaluation_round=assignment.round)
    return recusal


def round_is_complete(*, evaluation_round: EvaluationRound) -> bool:
    """Every member has handed in or recused on every idea of the round."""
    members = set(Membership.objects.filter(group_id=evaluation_round.group_id).values_list("user_id", flat=True))
    if not members:
        return False
    for assignment in evaluation_round.assignments.all():
        done = set(assignment.scorecards.filter(submitted_at__isnull=False).values_list("member_id", flat=True))
        done |= set(assignment.recusals.values_list("member_id", flat=True))
        if not members <= done:
            return False
    return True


def round_close_if_complete(*, evaluation_round: EvaluationRound) -> bool:
    if evaluation_round.closed_at is None and round_is_complete(evaluation_round=evaluation_round):
        return round_close(evaluation_round=evaluation_round)
    return False


def round_close(*, evaluation_round: EvaluationRound) -> bool:
    """Stamp the round closed. Idempotent: returns False when it already was."""
    return bool(
        EvaluationRound.objects.filter(pk=evaluation_round.pk, closed_at__isnull=True).update(closed_at=timezone.now())
    )


def rounds_close_due() -> int:
    """Close every round whose deadline has passed. Idempotent, run periodically."""
    return EvaluationRound.objects.filter(closed_at__isnull=True, deadline__lte=timezone.now()).update(
        closed_at=timezone.now()
    )


def can_decide(*, evaluation_round: EvaluationRound, user: AbstractBaseUser) -> bool:
    if user.has_perm("ideas.manage_evaluation"):
        return True
    return Membership.objects.filter(group_id=evaluation_round.group_id, user=user, role=Membership.Role.STAFF).exists()


@transaction.atomic
def decision_record(*, assignment: Assignment, outcome: str, reason: str, actor: AbstractBaseUser) -> Decision:
    """auswählen, zurückstellen or ablehnen, with a public reason, once the round is closed."""
    assignment = Assignment.objects.select_related("round", "idea").get(pk=assignment.pk)
    if not can_decide(evaluation_round=assignment.round, user=actor):
        raise PermissionDenied(_("Entscheiden dürfen die Verwaltung im Arbeitskreis und die Ideen-Moderation."))
    if not assignment.round.is_closed:
        raise ValidationError(_("Entscheiden Sie erst, wenn die Runde abgeschlossen ist."))
    if outcome not in DECISION_STATUS:
        raise ValidationError({"outcome": _("Wählen Sie auswählen, zurückstellen oder ablehnen.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte begründen Sie die Entscheidung. Die Begründung ist öffentlich.")})
    if Decision.objects.filter(assignment=assignment).exists():
        raise ValidationError(_("Über diese Idee ist in dieser Runde schon entschieden."))
    decision = Decision.objects.create(assignment=assignment, outcome=outcome, reason=reason.strip(), decided_by=actor)
    idea_transition(idea=assignment.idea, status=DECISION_STATUS[outcome], reason=reason.strip(), actor=actor)
    return decision
