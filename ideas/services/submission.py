"""Submitting, moderating and merging ideas; supporting and following them."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ideas.models import PUBLIC_STATUSES, Follow, Idea, IdeaEvent, IdeaStatus, Source, Support
from ideas.services.transitions import idea_transition
from notifications.models import Topic

MERGEABLE = {IdeaStatus.SUBMITTED, IdeaStatus.PUBLISHED, IdeaStatus.DEFERRED}


@transaction.atomic
def idea_submit(
    *,
    author: AbstractBaseUser | None,
    title: str,
    description: str,
    need: str,
    topic: Topic,
    district: str = "",
    image: UploadedFile | None = None,
    image_alt: str = "",
    source: str = Source.ONLINE,
    entered_by: AbstractBaseUser | None = None,
) -> Idea:
    """A new idea waits for moderation ("eingereicht").

    Citizens submit for themselves (``source`` online); staff enter postcards,
    calls and workshop notes on a citizen's behalf and are kept as ``entered_by``.
    The topic is stored as its German original, so every locale's filter finds it.
    """
    if image and not image_alt.strip():
        raise ValidationError({"image_alt": _("Bitte beschreiben Sie kurz, was das Bild zeigt.")})
    if source != Source.ONLINE and entered_by is None:
        raise ValidationError({"source": _("Ideen von Postkarten, Telefon oder Workshops erfasst die Verwaltung.")})
    topic = Topic.objects.filter(translation_key=topic.translation_key, locale__language_code="de").first() or topic
    idea = Idea.objects.create(
        author=author,
        title=title.strip(),
        description=description.strip(),
        need=need.strip(),
        topic=topic,
        district=district,
        image=image or "",
        image_alt=image_alt.strip(),
        source=source,
        entered_by=entered_by,
    )
    IdeaEvent.objects.create(idea=idea, status=IdeaStatus.SUBMITTED, actor=entered_by or author)
    if author is not None:
        Follow.objects.get_or_create(idea=idea, user=author)
    return idea


def idea_publish(*, idea: Idea, actor: AbstractBaseUser) -> IdeaEvent:
    """Moderation passed: the idea becomes public in the Ideenspeicher."""
    return idea_transition(idea=idea, status=IdeaStatus.PUBLISHED, actor=actor)


@transaction.atomic
def idea_reject_in_moderation(*, idea: Idea, actor: AbstractBaseUser, reason: str) -> IdeaEvent:
    """Not published. The reason is shown to the author in Mein Konto, not to the public."""
    if not reason.strip():
        raise ValidationError({"reason": _("Bitte schreiben Sie der Person, warum die Idee nicht erscheint.")})
    event = idea_transition(
        idea=idea, status=IdeaStatus.NOT_PUBLISHED, reason=reason.strip(), actor=actor, public=False
    )
    Idea.objects.filter(pk=idea.pk).update(moderation_reason=reason.strip())
    idea.moderation_reason = reason.strip()
    return event


@transaction.atomic
def idea_merge(*, source: Idea, target: Idea, actor: AbstractBaseUser) -> Idea:
    """Merge a duplicate into ``target``: supporters and followers move over, the duplicate redirects.

    A person who supported both is counted once: the move inserts with
    ``ignore_conflicts`` against the unique constraint on (idea, user).
    """
    if source.pk == target.pk:
        raise ValidationError({"target": _("Eine Idee kann nicht mit sich selbst zusammengeführt werden.")})
    ideas = {idea.pk: idea for idea in Idea.objects.select_for_update().filter(pk__in=[source.pk, target.pk])}
    source, target = ideas[source.pk], ideas[target.pk]
    if source.status not in MERGEABLE:
        raise ValidationError({"source": _("Diese Idee wird schon bewertet oder ist abgeschlossen.")})
    if target.status == IdeaStatus.MERGED or target.status == IdeaStatus.NOT_PUBLISHED:
        raise ValidationError({"target": _("Wählen Sie eine Idee, die im Ideenspeicher steht.")})
    for model in (Support, Follow):
        user_ids = list(model.objects.filter(idea=source).values_list("user_id", flat=True))
        model.objects.bulk_create([model(idea=target, user_id=user_id) for user_id in user_ids], ignore_conflicts=True)
        model.objects.filter(idea=source).delete()
    Idea.objects.filter(pk=source.pk).update(merged_into=target)
    source.merged_into = target
    idea_transition(
        idea=source,
        status=IdeaStatus.MERGED,
        reason=_("Zusammengeführt mit der Idee „%(title)s“.") % {"title": target.title},
        actor=actor,
    )
    return target


def _require_public(idea: Idea) -> None:
    if idea.status not in PUBLIC_STATUSES:
        raise ValidationError({"idea": _("Diese Idee ist nicht öffentlich.")})


def idea_support(*, idea: Idea, user: AbstractBaseUser) -> bool:
    """Support once. The database's unique constraint is the guard; returns whether it is new."""
    _require_public(idea)
    try:
        with transaction.atomic():
            Support.objects.create(idea=idea, user=user)
    except IntegrityError:
        return False
    return True


def idea_support_withdraw(*, idea: Idea, user: AbstractBaseUser) -> bool:
    return Support.objects.filter(idea=idea, user=user).delete()[0] > 0


def idea_follow(*, idea: Idea, user: AbstractBaseUser) -> bool:
    _require_public(idea)
    try:
        with transaction.atomic():
            Follow.objects.create(idea=idea, user=user)
    except IntegrityError:
        return False
    return True


def idea_unfollow(*, idea: Idea, user: AbstractBaseUser) -> bool:
    return Follow.objects.filter(idea=idea, user=user).delete()[0] > 0
