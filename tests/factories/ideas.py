"""Factories for the Ideenspeicher: people, ideas, working groups and rounds."""

import datetime

import factory

from django.contrib.auth import get_user_model
from django.utils import timezone

from ideas.models import Idea, IdeaEvent, IdeaStatus, Membership
from ideas.services.evaluation import membership_add, round_create, working_group_create
from tests.factories.notifications import TopicFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")


class IdeaFactory(factory.django.DjangoModelFactory):
    """A public idea by default (``status=IdeaStatus.PUBLISHED``), with its timeline step."""

    class Meta:
        model = Idea
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Idee Nummer {n}")
    description = "Eine Beschreibung der Idee, lang genug für das Formular."
    need = "Sie hilft vielen Menschen."
    topic = factory.SubFactory(TopicFactory, slug="stadtpark", name="Stadtpark")
    author = factory.SubFactory(UserFactory)
    status = IdeaStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def event(self, create, extracted, **kwargs):
        if create:
            IdeaEvent.objects.create(idea=self, status=self.status)


def group_with_members(*, name: str = "Arbeitskreis Test", staff: int = 2, ambassadors: int = 1):
    """A working group with the default scorecard and its members (staff first)."""
    group = working_group_create(name=name)
    members = []
    for index in range(staff):
        user = UserFactory(username=f"{group.pk}-staff-{index}")
        membership_add(group=group, user=user, role=Membership.Role.STAFF)
        members.append(user)
    for index in range(ambassadors):
        user = UserFactory(username=f"{group.pk}-ambassador-{index}")
        membership_add(group=group, user=user, role=Membership.Role.AMBASSADOR)
        members.append(user)
    return group, members


def open_round(*, group, ideas, actor, days: int = 7):
    return round_create(
        group=group,
        title="Testrunde",
        deadline=timezone.now() + datetime.timedelta(days=days),
        ideas=ideas,
        actor=actor,
    )


def closed_round_with_recusals(*, topic, actor):
    """A closed round of two ideas scored by two staff members and an ambassador.

    Each staff member recused on one idea, the first after handing in a card that must not
    count. When both leave, their cards and recusals only pair up through their pseudonyms;
    pairing them by a null member would drop the wrong cards.
    """
    from ideas.models import EvaluationRound
    from ideas.selectors.evaluation import criteria_of
    from ideas.services.evaluation import recusal_declare, scorecard_save

    group, members = group_with_members()
    first, second, ambassador = members
    evaluation_round = open_round(group=group, ideas=[IdeaFactory(topic=topic) for _ in range(2)], actor=actor)
    criteria = criteria_of(evaluation_round=evaluation_round)
    idea_a, idea_b = evaluation_round.assignments.order_by("pk")

    def card(*values):
        return {criterion.pk: value for criterion, value in zip(criteria, values, strict=True)}

    scorecard_save(assignment=idea_a, member=first, values=card(5, 1, 5, 5, 1))
    recusal_declare(assignment=idea_a, member=first, reason="Mein Verein hat sie eingereicht.")
    scorecard_save(assignment=idea_a, member=second, values=card(2, 4, 3, 2, 4))
    scorecard_save(assignment=idea_a, member=ambassador, values=card(4, 2, 4, 3, 3))
    scorecard_save(assignment=idea_b, member=first, values=card(3, 3, 2, 4, 2))
    recusal_declare(assignment=idea_b, member=second)
    scorecard_save(assignment=idea_b, member=ambassador, values=card(1, 5, 2, 2, 5))
    EvaluationRound.objects.filter(pk=evaluation_round.pk).update(closed_at=timezone.now())
    evaluation_round.refresh_from_db()
    return evaluation_round, members
