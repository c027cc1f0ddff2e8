"""Submission, moderation, the state machine, merging, supports, follows and notices."""

import pytest

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from ideas.models import Follow, Idea, IdeaStatus, Source, Support
from ideas.services.submission import (
    idea_follow,
    idea_merge,
    idea_publish,
    idea_reject_in_moderation,
    idea_submit,
    idea_support,
)
from ideas.services.transitions import idea_transition
from notifications.models import PersonalNotice
from tests.factories.ideas import IdeaFactory, UserFactory


def _submit(author, topic, **extra):
    return idea_submit(
        author=author,
        title="Trinkbrunnen im Stadtpark",
        description="Öffentliche Trinkbrunnen an den Spielplätzen im Stadtpark.",
        need="Kinder haben im Sommer Durst.",
        topic=topic,
        **extra,
    )


def test_a_new_idea_waits_for_moderation_and_is_not_public(citizen, topic):
    idea = _submit(citizen, topic)
    assert idea.status == IdeaStatus.SUBMITTED
    assert not idea.is_public
    assert idea.source == Source.ONLINE
    assert Follow.objects.filter(idea=idea, user=citizen).exists()


def test_staff_enter_a_postcard_on_behalf_and_the_source_is_recorded(moderator, topic):
    idea = _submit(None, topic, source=Source.POSTCARD, entered_by=moderator)
    assert (idea.author, idea.entered_by, idea.source) == (None, moderator, Source.POSTCARD)


def test_only_staff_record_a_postcard(citizen, topic):
    with pytest.raises(ValidationError):
        _submit(citizen, topic, source=Source.POSTCARD)


def test_an_image_needs_a_description(citizen, topic):
    image = SimpleUploadedFile("bild.png", b"not really", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        _submit(citizen, topic, image=image)
    assert "image_alt" in error.value.message_dict


def test_the_german_topic_is_stored_whatever_the_citizens_language(citizen, topic, locales):
    english = topic.copy_for_translation(locales["en"])
    english.name = "City park"
    english.save()
    idea = _submit(citizen, english)
    assert idea.topic == topic


def test_moderation_publishes_and_the_author_is_notified(
    citizen, topic, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    idea = _submit(citizen, topic)
    with django_capture_on_commit_callbacks(execute=True):
        idea_publish(idea=idea, actor=moderator)
    idea.refresh_from_db()
    assert idea.is_public and idea.published_at
    notice = PersonalNotice.objects.get(user=citizen)
    assert "Trinkbrunnen" in notice.title
    assert "berta" not in notice.body
    assert len(mailoutbox) == 1


def test_a_rejection_needs_a_reason_which_only_the_author_sees(
    citizen, topic, moderator, django_capture_on_commit_callbacks
):
    idea = _submit(citizen, topic)
    follower = UserFactory()
    Follow.objects.create(idea=idea, user=follower)
    with pytest.raises(ValidationError):
        idea_reject_in_moderation(idea=idea, actor=moderator, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        event = idea_reject_in_moderation(idea=idea, actor=moderator, reason="Das gibt es schon.")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NOT_PUBLISHED
    assert idea.moderation_reason == "Das gibt es schon."
    assert not event.public
    assert list(PersonalNotice.objects.values_list("user", flat=True)) == [citizen.pk]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (IdeaStatus.SUBMITTED, IdeaStatus.SELECTED),
        (IdeaStatus.PUBLISHED, IdeaStatus.SELECTED),
        (IdeaStatus.REJECTED, IdeaStatus.PUBLISHED),
        (IdeaStatus.IN_PROJECT, IdeaStatus.DEFERRED),
        (IdeaStatus.NOT_PUBLISHED, IdeaStatus.PUBLISHED),
    ],
)
def test_transitions_outside_the_state_machine_are_refused(topic, start, target):
    idea = IdeaFactory(topic=topic, status=start)
    with pytest.raises(ValidationError):
        idea_transition(idea=idea, status=target)
    idea.refresh_from_db()
    assert idea.status == start


def test_every_status_change_notifies_author_and_followers_once(topic, django_capture_on_commit_callbacks):
    idea = IdeaFactory(topic=topic)
    followers = [UserFactory() for _ in range(2)]
    for follower in followers:
        idea_follow(idea=idea, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        event = idea_transition(idea=idea, status=IdeaStatus.IN_EVALUATION, reason="Der Arbeitskreis bewertet.")
    recipients = set(PersonalNotice.objects.filter(reference=f"idea-event-{event.pk}").values_list("user", flat=True))
    assert recipients == {idea.author_id, *(follower.pk for follower in followers)}


def test_support_counts_once_per_person(topic, citizen):
    idea = IdeaFactory(topic=topic)
    assert idea_support(idea=idea, user=citizen) is True
    assert idea_support(idea=idea, user=citizen) is False
    assert Support.objects.filter(idea=idea).count() == 1


def test_an_idea_in_moderation_cannot_be_supported(topic, citizen):
    idea = IdeaFactory(topic=topic, status=IdeaStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        idea_support(idea=idea, user=citizen)


def test_merging_carries_supporters_over_without_counting_anyone_twice(topic, moderator):
    original = IdeaFactory(topic=topic, title="Live-Karte für den Bürgerbus")
    duplicate = IdeaFactory(topic=topic, title="Wo ist der Bürgerbus?")
    both, only_duplicate, only_original = UserFactory(), UserFactory(), UserFactory()
    for user in (both, only_original):
        idea_support(idea=original, user=user)
    for user in (both, only_duplicate):
        idea_support(idea=duplicate, user=user)
        idea_follow(idea=duplicate, user=user)

    idea_merge(source=duplicate, target=original, actor=moderator)

    duplicate.refresh_from_db()
    assert duplicate.status == IdeaStatus.MERGED and duplicate.merged_into == original
    assert set(Support.objects.filter(idea=original).values_list("user", flat=True)) == {
        both.pk,
        only_duplicate.pk,
        only_original.pk,
    }
    assert not Support.objects.filter(idea=duplicate).exists()
    assert Follow.objects.filter(idea=original, user=only_duplicate).exists()


def test_an_idea_cannot_be_merged_into_itself_or_into_a_merged_idea(topic, moderator):
    first, second, third = (IdeaFactory(topic=topic) for _ in range(3))
    with pytest.raises(ValidationError):
        idea_merge(source=first, target=first, actor=moderator)
    idea_merge(source=second, target=first, actor=moderator)
    with pytest.raises(ValidationError):
        idea_merge(source=third, target=Idea.objects.get(pk=second.pk), actor=moderator)
