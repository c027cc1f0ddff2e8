"""The scorecard maths: weights, direction and spread, with examples and properties."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ideas.scoring import CriterionSpec, aggregate, member_overall, normalise, spread

BENEFIT = CriterionSpec(key=1, name="Nutzen", scale_min=1, scale_max=5, weight=3, lower_is_better=False)
COMPLEXITY = CriterionSpec(key=2, name="Komplexität", scale_min=1, scale_max=5, weight=1, lower_is_better=True)
CRITERIA = [BENEFIT, COMPLEXITY]


def test_lower_is_better_flips_the_scale():
    assert normalise(1, COMPLEXITY) == 1.0
    assert normalise(5, COMPLEXITY) == 0.0
    assert normalise(5, BENEFIT) == 1.0


def test_weights_pull_the_overall_towards_the_heavier_criterion():
    # benefit 5 (→1.0, weight 3) and complexity 5 (→0.0, weight 1): (3*1 + 1*0) / 4
    assert member_overall({1: 5, 2: 5}, CRITERIA) == pytest.approx(0.75)


def test_spread_reports_mean_std_min_max_and_count():
    result = spread([1, 3, 5])
    assert (result.mean, result.minimum, result.maximum, result.count) == (3, 1, 5, 3)
    assert result.std == pytest.approx(math.sqrt(8 / 3))


def test_disagreement_is_flagged_relative_to_the_scale():
    assert spread([1, 5]).disputed(span=4)
    assert not spread([3, 4]).disputed(span=4)


def test_no_scores_give_empty_aggregates_not_errors():
    result = aggregate([], CRITERIA)
    assert result.scorers == 0
    assert result.overall.mean is None
    assert result.criteria[1].count == 0


def test_per_criterion_statistics_are_on_the_raw_scale():
    result = aggregate([{1: 4, 2: 2}, {1: 2, 2: 4}], CRITERIA)
    assert result.criteria[1].mean == 3
    assert result.criteria[2].minimum == 2
    assert result.scorers == 2


value = st.integers(min_value=1, max_value=5)
card = st.fixed_dictionaries({1: value, 2: value})
weights = st.floats(min_value=0.1, max_value=10, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(cards=st.lists(card, min_size=1, max_size=8))
def test_overall_stays_between_zero_and_one_and_inside_min_max(cards):
    result = aggregate(cards, CRITERIA)
    assert 0 <= result.overall.mean <= 1
    assert result.overall.minimum - 1e-9 <= result.overall.mean <= result.overall.maximum + 1e-9
    assert result.overall.std >= 0
    assert result.scorers == len(cards)


@settings(max_examples=100, deadline=None)
@given(cards=st.lists(card, min_size=1, max_size=8), data=st.data())
def test_order_of_members_does_not_matter(cards, data):
    shuffled = data.draw(st.permutations(cards))
    assert aggregate(cards, CRITERIA).overall.mean == pytest.approx(aggregate(shuffled, CRITERIA).overall.mean)


@settings(max_examples=100, deadline=None)
@given(cards=st.lists(card, min_size=1, max_size=6), factor=weights)
def test_scaling_all_weights_changes_nothing(cards, factor):
    scaled = [
        CriterionSpec(c.key, c.name, c.scale_min, c.scale_max, c.weight * factor, c.lower_is_better) for c in CRITERIA
    ]
    assert aggregate(cards, scaled).overall.mean == pytest.approx(aggregate(cards, CRITERIA).overall.mean)


@settings(max_examples=100, deadline=None)
@given(scores=card, benefit_weight=weights, complexity_weight=weights)
def test_more_benefit_never_lowers_and_more_complexity_never_raises_the_score(
    scores, benefit_weight, complexity_weight
):
    criteria = [
        CriterionSpec(1, "Nutzen", 1, 5, benefit_weight, False),
        CriterionSpec(2, "Komplexität", 1, 5, complexity_weight, True),
    ]
    base = member_overall(scores, criteria)
    if scores[1] < 5:
        assert member_overall({**scores, 1: scores[1] + 1}, criteria) > base
    if scores[2] < 5:
        assert member_overall({**scores, 2: scores[2] + 1}, criteria) < base


@settings(max_examples=100, deadline=None)
@given(cards=st.lists(card, min_size=1, max_size=6))
def test_identical_cards_have_no_spread(cards):
    result = aggregate([cards[0]] * len(cards), CRITERIA)
    assert result.overall.std == pytest.approx(0)
    assert not result.overall.disputed()
