"""Working groups (Arbeitskreise), their scorecards, evaluation rounds and blind scores."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable


class WorkingGroup(ClusterableModel):
    """An Arbeitskreis that evaluates ideas with its own Bewertungsbogen (scorecard)."""

    name = models.CharField(_("Name"), max_length=100, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        InlinePanel("criteria", label=_("Kriterien des Bewertungsbogens"), min_num=1),
        InlinePanel("memberships", label=_("Mitglieder")),
    ]

    class Meta:
        verbose_name = _("Arbeitskreis")
        verbose_name_plural = _("Arbeitskreise")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "hoeher", _("höher ist besser")
    LOWER_IS_BETTER = "niedriger", _("niedriger ist besser")


class MatrixAxis(models.TextChoices):
    NONE = "", _("keine")
    BENEFIT = "nutzen", _("Nutzen (senkrechte Achse)")
    COMPLEXITY = "komplexitaet", _("Komplexität (waagerechte Achse)")


class Criterion(Orderable):
    """One line of a group's scorecard: name, description, scale, weight, direction."""

    group = ParentalKey(WorkingGroup, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("Name"), max_length=60)
    description = models.CharField(_("Beschreibung"), max_length=250, blank=True)
    scale_min = models.PositiveSmallIntegerField(_("Skala von"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("Skala bis"), default=5)
    weight = models.DecimalField(
        _("Gewicht"), max_digits=5, decimal_places=2, default=1, validators=[MinValueValidator(0)]
    )
    direction = models.CharField(
        _("Richtung"), max_length=10, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    matrix_axis = models.CharField(_("Achse der Matrix"), max_length=15, choices=MatrixAxis.choices, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("description")]),
        FieldRowPanel([FieldPanel("scale_min"), FieldPanel("scale_max"), FieldPanel("weight")]),
        FieldRowPanel([FieldPanel("direction"), FieldPanel("matrix_axis")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("Kriterium")
        verbose_name_plural = _("Kriterien")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min")), name="criterion_scale_valid"
            ),
            models.UniqueConstraint(fields=["group", "name"], name="criterion_name_unique_per_group"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(Orderable):
    """A member of a working group: staff, or a citizen ambassador (Zukunftsbotschafter*in)."""

    class Role(models.TextChoices):
        STAFF = "verwaltung", _("Verwaltung")
        AMBASSADOR = "botschafter", _("Zukunftsbotschafter*in")

    group = ParentalKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Person"),
        on_delete=models.CASCADE,
        related_name="working_group_memberships",
    )
    role = models.CharField(_("Rolle"), max_length=15, choices=Role.choices, default=Role.STAFF)

    panels = [FieldRowPanel([FieldPanel("user"), FieldPanel("role")])]

    class Meta(Orderable.Meta):
        verbose_name = _("Mitglied")
        verbose_name_plural = _("Mitglieder")
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="membership_once_per_group")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class EvaluationRound(models.Model):
    """A Bewertungsrunde: ideas assigned to one group, scored blind until it closes.

    It closes at ``deadline`` or once every member has scored or recused on every
    idea (``ideas.services.round_close_if_complete``). Past the deadline it counts
    as closed even before the periodic job has stamped ``closed_at``.
    """

    group = models.ForeignKey(
        WorkingGroup, verbose_name=_("Arbeitskreis"), on_delete=models.PROTECT, related_name="rounds"
    )
    title = models.CharField(_("Titel"), max_length=120)
    deadline = models.DateTimeField(_("Frist"))
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    show_matrix_publicly = models.BooleanField(_("Matrix öffentlich zeigen"), default=False)

    class Meta:
        verbose_name = _("Bewertungsrunde")
        verbose_name_plural = _("Bewertungsrunden")
        ordering = ["-deadline"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None or self.deadline <= timezone.now()


class Assignment(models.Model):
    """An idea assigned to a round. The group's decision on it lives in ``Decision``."""

    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="assignments")
    idea = models.ForeignKey("ideas.Idea", on_delete=models.PROTECT, related_name="assignments")

    class Meta:
        verbose_name = _("Idee in der Runde")
        verbose_name_plural = _("Ideen in der Runde")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["round", "idea"], name="assignment_once_per_round")]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.idea_id}"


def _member_or_pseudonym(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(member__isnull=False) | models.Q(pseudonym__isnull=False),
        name=f"{prefix}_member_or_pseudonym",
    )


def _pseudonym_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        _("Pseudonym"), null=True, blank=True, help_text=_("Nummer des ausgeschiedenen Mitglieds in dieser Runde")
    )


class Scorecard(models.Model):
    """One member's Bewertungsbogen for one idea. ``submitted_at`` unlocks the others' scores.

    A handed-in card is final for the round: only the round's lead can reopen it, with a
    reason in the audit log (``ideas.services.evaluation.scorecard_reopen``), which hides
    the others' scores from its member again until it is handed in anew.

    When a member deletes their account the card stays, because a closed round's results are the
    town's record; ``member`` becomes null and ``pseudonym`` numbers the departed member within
    the round ("ausgeschiedenes Mitglied 3"), so their card still pairs with their recusal and
    audit entries (``ideas.services.personal_data.evaluation_member_detach``).
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scorecards")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="scorecards"
    )
    pseudonym = _pseudonym_field()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # NULLs are distinct, so departed members' cards never collide; the pseudonym keeps them unique.
            models.UniqueConstraint(fields=["assignment", "member"], name="scorecard_once_per_member"),
            models.UniqueConstraint(fields=["assignment", "pseudonym"], name="scorecard_once_per_pseudonym"),
            _member_or_pseudonym("scorecard"),
        ]


class Score(models.Model):
    """One value on one criterion. The range is checked by the service against the criterion's scale."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scorecard", "criterion"], name="score_once_per_criterion")]


class Recusal(models.Model):
    """A member declared a conflict of interest on an idea; their scores are excluded.

    Kept, with a ``pseudonym``, when the member leaves (see ``Scorecard``).
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="recusals")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pseudonym = _pseudonym_field()
    reason = models.CharField(_("Grund"), max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "member"], name="recusal_once_per_member"),
            models.UniqueConstraint(fields=["assignment", "pseudonym"], name="recusal_once_per_pseudonym"),
            _member_or_pseudonym("recusal"),
        ]


class ScoreAuditEntry(models.Model):
    """Every change to a score: who, what, when. Written by the service, never edited.

    When a member leaves, only ``member`` is replaced by the round's ``pseudonym`` (see ``Scorecard``).
    """

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="audit_entries")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pseudonym = _pseudonym_field()
    criterion = models.ForeignKey(Criterion, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20)
    old_value = models.PositiveSmallIntegerField(null=True)
    new_value = models.PositiveSmallIntegerField(null=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Who acted on someone else's card (a reopen by the round's lead), and why.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("Grund"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll der Bewertungen")
        ordering = ["created_at", "pk"]
        constraints = [_member_or_pseudonym("score_audit")]


class Decision(models.Model):
    """The group's decision on one idea of a round, always with a public reason."""

    class Outcome(models.TextChoices):
        SELECT = "auswaehlen", _("auswählen")
        DEFER = "zurueckstellen", _("zurückstellen")
        REJECT = "ablehnen", _("ablehnen")

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("Entscheidung"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("Öffentliche Begründung"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Entscheidung")
        verbose_name_plural = _("Entscheidungen")
