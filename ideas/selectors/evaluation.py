"""What working-group members and moderators see: rounds, blind scores, aggregates, the matrix.

The blind rule lives here, in ``scores_visible``: nobody sees anyone else's
scores (nor aggregates built from them) before handing in their own scorecard
for that idea, or before the round closes. Views and the API both ask it.
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch, QuerySet

from ideas.models import (
    Assignment,
    Criterion,
    Decision,
    Direction,
    EvaluationRound,
    Idea,
    MatrixAxis,
    Membership,
    Recusal,
    ScoreAuditEntry,
    Scorecard,
)
from ideas.scoring import Aggregate, CriterionSpec, aggregate


def can_manage(user: AbstractBaseUser) -> bool:
    return user.is_authenticated and user.has_perm("ideas.manage_evaluation")


def rounds_visible_to(*, user: AbstractBaseUser) -> QuerySet[EvaluationRound]:
    """Moderators see every round; members only their own groups' rounds."""
    rounds = EvaluationRound.objects.select_related("group")
    if not user.is_authenticated:
        return rounds.none()
    if can_manage(user):
        return rounds
    return rounds.filter(group__memberships__user=user).distinct()


def round_for_user(*, pk: int, user: AbstractBaseUser) -> EvaluationRound | None:
    return rounds_visible_to(user=user).filter(pk=pk).first()


def is_member(*, evaluation_round: EvaluationRound, user: AbstractBaseUser) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(group_id=evaluation_round.group_id, user=user).exists()


def criteria_of(*, evaluation_round: EvaluationRound) -> list[Criterion]:
    return list(Criterion.objects.filter(group_id=evaluation_round.group_id).order_by("sort_order", "pk"))


def criterion_spec(criterion: Criterion) -> CriterionSpec:
    return CriterionSpec(
        key=criterion.pk,
        name=criterion.name,
        scale_min=criterion.scale_min,
        scale_max=criterion.scale_max,
        weight=float(criterion.weight),
        lower_is_better=criterion.direction == Direction.LOWER_IS_BETTER,
    )


def scores_visible(*, assignment: Assignment, user: AbstractBaseUser) -> bool:
    """The blind rule: the round is closed, or this user has handed in their own card for this idea."""
    if assignment.round.is_closed:
        return True
    return Scorecard.objects.filter(assignment=assignment, member=user, submitted_at__isnull=False).exists()


def own_scorecard(*, assignment: Assignment, user: AbstractBaseUser) -> dict[str, Any]:
    card = Scorecard.objects.filter(assignment=assignment, member=user).prefetch_related("scores").first()
    return {
        "values": {score.criterion_id: score.value for score in card.scores.all()} if card else {},
        "submitted": bool(card and card.submitted_at),
        "recused": Recusal.objects.filter(assignment=assignment, member=user).exists(),
    }


def _participant(record: Scorecard | Recusal) -> tuple[str, int | None]:
    """Who handed in a card or recused: the member, or the pseudonym they left the round under."""
    if record.member_id is not None:
        return ("member", record.member_id)
    return ("departed", record.pseudonym)


def assignment_aggregate(*, assignment: Assignment, criteria: list[Criterion]) -> Aggregate:
    """Aggregates over handed-in cards of members who did not recuse. Callers check ``scores_visible``.

    A departed member's card and recusal pair through their pseudonym, so the result stays as it was.
    """
    recused = {_participant(recusal) for recusal in assignment.recusals.all()}
    cards = [
        {score.criterion_id: score.value for score in card.scores.all()}
        for card in assignment.scorecards.all()
        if card.submitted_at is not None and _participant(card) not in recused
    ]
    return aggregate(cards, [criterion_spec(criterion) for criterion in criteria])


@dataclass
class AssignmentResult:
    assignment: Assignment
    visible: bool
    aggregate: Aggregate | None = None
    own: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)


def aggregate_rows(result: Aggregate, criteria: list[Criterion]) -> list[dict[str, Any]]:
    return [
        {
            "criterion": criterion,
            "spread": result.criteria[criterion.pk],
            "normalised": result.normalised[criterion.pk],
            "disputed": result.criteria[criterion.pk].disputed(span=criterion.scale_max - criterion.scale_min),
        }
        for criterion in criteria
    ]


def round_overview(*, evaluation_round: EvaluationRound, user: AbstractBaseUser) -> dict[str, Any]:
    """Everything the round page shows to this user, with the blind rule applied per idea."""
    criteria = criteria_of(evaluation_round=evaluation_round)
    assignments = (
        evaluation_round.assignments.select_related("idea", "idea__topic", "round")
        .prefetch_related(
            Prefetch("scorecards", queryset=Scorecard.objects.select_related("member").prefetch_related("scores")),
            "recusals",
        )
        .order_by("pk")
    )
    decisions = {
        decision.assignment_id: decision for decision in Decision.objects.filter(assignment__round=evaluation_round)
    }
    results = []
    for assignment in assignments:
        own_card = next((card for card in assignment.scorecards.all() if card.member_id == user.pk), None)
        visible = evaluation_round.is_closed or bool(own_card and own_card.submitted_at)
        result = AssignmentResult(
            assignment=assignment,
            visible=visible,
            own={
                "submitted": bool(own_card and own_card.submitted_at),
                "recused": any(recusal.member_id == user.pk for recusal in assignment.recusals.all()),
            },
        )
        if visible:
            result.aggregate = assignment_aggregate(assignment=assignment, criteria=criteria)
            result.rows = aggregate_rows(result.aggregate, criteria)
        assignment.decision_made = decisions.get(assignment.pk)
        results.append(result)
    return {
        "round": evaluation_round,
        "criteria": criteria,
        "results": results,
        "is_member": is_member(evaluation_round=evaluation_round, user=user),
        "matrix": matrix(results=results, criteria=criteria),
    }


QUADRANTS = {
    (True, True): "Schnelle Erfolge",
    (True, False): "Große Vorhaben",
    (False, True): "Kleine Schritte",
    (False, False): "Eher zurückstellen",
}


@dataclass(frozen=True)
class MatrixPoint:
    number: int
    idea: Idea
    benefit: float
    complexity: float
    x: float
    y: float
    quadrant: str


MATRIX_SIZE = 360
MATRIX_MARGIN = 50


def matrix(*, results: list[AssignmentResult], criteria: list[Criterion]) -> dict[str, Any] | None:
    """Benefit (up) against complexity (right) for every idea whose scores this user may see.

    Coordinates are computed here so the template only draws them (server-rendered SVG).
    """
    benefit = next((criterion for criterion in criteria if criterion.matrix_axis == MatrixAxis.BENEFIT), None)
    complexity = next((criterion for criterion in criteria if criterion.matrix_axis == MatrixAxis.COMPLEXITY), None)
    if benefit is None or complexity is None:
        return None
    points = []
    for result in results:
        if not result.visible or result.aggregate is None:
            continue
        benefit_mean = result.aggregate.criteria[benefit.pk].mean
        complexity_mean = result.aggregate.criteria[complexity.pk].mean
        if benefit_mean is None or complexity_mean is None:
            continue
        bx = (complexity_mean - complexity.scale_min) / (complexity.scale_max - complexity.scale_min)
        by = (benefit_mean - benefit.scale_min) / (benefit.scale_max - benefit.scale_min)
        points.append(
            MatrixPoint(
                number=len(points) + 1,
                idea=result.assignment.idea,
                benefit=benefit_mean,
                complexity=complexity_mean,
                x=round(MATRIX_MARGIN + bx * MATRIX_SIZE, 1),
                y=round(MATRIX_MARGIN + (1 - by) * MATRIX_SIZE, 1),
                quadrant=QUADRANTS[(by >= 0.5, bx < 0.5)],
            )
        )
    return {
        "points": points,
        "benefit": benefit,
        "complexity": complexity,
        "size": MATRIX_SIZE,
        "margin": MATRIX_MARGIN,
        "middle": MATRIX_MARGIN + MATRIX_SIZE // 2,
        "end": MATRIX_MARGIN + MATRIX_SIZE,
        "total": MATRIX_SIZE + 2 * MATRIX_MARGIN,
    }


def audit_log(*, evaluation_round: EvaluationRound) -> QuerySet[ScoreAuditEntry]:
    return ScoreAuditEntry.objects.filter(assignment__round=evaluation_round).select_related(
        "member", "actor", "criterion", "assignment__idea"
    )


def round_export_rows(*, evaluation_round: EvaluationRound) -> tuple[list[str], list[list[Any]]]:
    """One row per idea for the minutes: aggregates per criterion and overall, and the decision.

    Only for closed rounds; the caller checks.
    """
    criteria = criteria_of(evaluation_round=evaluation_round)
    header = ["Idee", "Titel", "Bewertende", "Gesamt (0–100)", "Streuung Gesamt"]
    for criterion in criteria:
        header += [
            f"{criterion.name} Mittel",
            f"{criterion.name} Std.-Abw.",
            f"{criterion.name} Min",
            f"{criterion.name} Max",
        ]
    header += ["Entscheidung", "Begründung"]
    rows = []
    assignments = evaluation_round.assignments.select_related("idea").prefetch_related(
        Prefetch("scorecards", queryset=Scorecard.objects.prefetch_related("scores")), "recusals"
    )
    decisions = {
        decision.assignment_id: decision for decision in Decision.objects.filter(assignment__round=evaluation_round)
    }
    for assignment in assignments.order_by("pk"):
        result = assignment_aggregate(assignment=assignment, criteria=criteria)
        overall = result.overall
        row = [
            assignment.idea_id,
            assignment.idea.title,
            result.scorers,
            _rounded(overall.mean, 100),
            _rounded(overall.std, 100),
        ]
        for criterion in criteria:
            spread = result.criteria[criterion.pk]
            row += [_rounded(spread.mean), _rounded(spread.std), spread.minimum, spread.maximum]
        decision = decisions.get(assignment.pk)
        row += [decision.get_outcome_display() if decision else "", decision.reason if decision else ""]
        rows.append(row)
    return header, rows


def _rounded(value: float | None, factor: float = 1) -> float | None:
    return None if value is None else round(value * factor, 2)
