"""The scorecard maths, as pure functions so that they can be property-tested.

Each criterion has a scale ``[low, high]``, a weight and a direction. A raw
value ``v`` is normalised to ``(v - low) / (high - low)`` in ``[0, 1]``, and
flipped to ``1 - x`` when lower is better (Komplexität, Kosten), so that 1 is
always "good". A member's overall score is the weighted mean of their
normalised values; the idea's overall score is the mean of the members'
overall scores, and the spread of those member scores (standard deviation,
minimum, maximum) shows where the group disagrees. Per criterion the same
statistics are reported on the raw scale. Recused members never reach these
functions: the selector leaves them out.

docs/ideas.md, "Die Mathematik des Bewertungsbogens", explains the choices.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean, pstdev

DISPUTE_THRESHOLD = 0.25


@dataclass(frozen=True)
class CriterionSpec:
    key: int
    name: str
    scale_min: int
    scale_max: int
    weight: float
    lower_is_better: bool


@dataclass(frozen=True)
class Spread:
    mean: float | None
    std: float | None
    minimum: float | None
    maximum: float | None
    count: int

    def disputed(self, *, span: float = 1.0) -> bool:
        """A standard deviation above a quarter of the scale's span flags disagreement."""
        return self.std is not None and span > 0 and self.std / span > DISPUTE_THRESHOLD


@dataclass(frozen=True)
class Aggregate:
    criteria: dict[int, Spread]  # raw scale
    normalised: dict[int, float | None]
    overall: Spread  # 0..1, higher is better
    scorers: int


def normalise(value: float, criterion: CriterionSpec) -> float:
    span = criterion.scale_max - criterion.scale_min
    position = (value - criterion.scale_min) / span
    return 1 - position if criterion.lower_is_better else position


def spread(values: Sequence[float]) -> Spread:
    """Mean, population standard deviation, minimum, maximum and count."""
    if not values:
        return Spread(None, None, None, None, 0)
    return Spread(fmean(values), pstdev(values), min(values), max(values), len(values))


def member_overall(scores: Mapping[int, float], criteria: Sequence[CriterionSpec]) -> float | None:
    """The weighted mean of one member's normalised scores, over the criteria they scored."""
    weighted = [
        (criterion.weight, normalise(scores[criterion.key], criterion))
        for criterion in criteria
        if criterion.key in scores
    ]
    total_weight = sum(weight for weight, _value in weighted)
    if not weighted or total_weight <= 0:
        return None
    return sum(weight * value for weight, value in weighted) / total_weight


def aggregate(scorecards: Sequence[Mapping[int, float]], criteria: Sequence[CriterionSpec]) -> Aggregate:
    """Aggregate the submitted, non-recused scorecards of one idea.

    ``scorecards`` holds one mapping criterion key -> raw value per member.
    """
    per_criterion: dict[int, Spread] = {}
    normalised: dict[int, float | None] = {}
    for criterion in criteria:
        values = [card[criterion.key] for card in scorecards if criterion.key in card]
        span = criterion.scale_max - criterion.scale_min
        raw = spread(values)
        per_criterion[criterion.key] = raw
        normalised[criterion.key] = normalise(raw.mean, criterion) if raw.mean is not None and span else None
    overall_values = [value for card in scorecards if (value := member_overall(card, criteria)) is not None]
    return Aggregate(per_criterion, normalised, spread(overall_values), len(overall_values))
