"""Forms of the Ideenspeicher: citizens' submission, staff entry, moderation, rounds, scorecards."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cms import widgets
from ideas.models import PUBLIC_STATUSES, Criterion, Decision, District, Idea, IdeaStatus, Source, WorkingGroup
from notifications.models import Topic
from notifications.selectors import topics_for_locale

MAX_IMAGE_BYTES = 5 * 1024 * 1024


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Titel Ihrer Idee"), max_length=120, min_length=5)
    description = forms.CharField(
        label=_("Was ist die Idee?"), max_length=3000, min_length=20, widget=forms.Textarea(attrs={"rows": 6})
    )
    need = forms.CharField(
        label=_("Welchen Bedarf deckt sie?"),
        help_text=_("Wem hilft die Idee, und wobei?"),
        max_length=2000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    topic = forms.ModelChoiceField(label=_("Thema"), queryset=Topic.objects.none(), empty_label=_("Bitte wählen"))
    district = forms.ChoiceField(
        label=_("Stadtteil (freiwillig)"), choices=[("", "—"), *District.choices], required=False
    )
    image = forms.ImageField(
        label=_("Bild (freiwillig)"), required=False, help_text=_("JPEG oder PNG, höchstens 5 MB.")
    )
    image_alt = forms.CharField(label=_("Was zeigt das Bild?"), max_length=250, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = topics_for_locale()
        self.fields["title"].widget.attrs.update({"autocomplete": "off", "data-similar-source": ""})

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and image.size > MAX_IMAGE_BYTES:
            raise forms.ValidationError(_("Das Bild ist größer als 5 MB. Bitte wählen Sie ein kleineres Bild."))
        return image

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", _("Bitte beschreiben Sie kurz, was das Bild zeigt."))
        return cleaned


class StaffIdeaForm(IdeaForm):
    """Staff enter a postcard, a call or workshop notes on a citizen's behalf."""

    source = forms.ChoiceField(label=_("Eingang"), choices=[c for c in Source.choices if c[0] != Source.ONLINE])
    author_email = forms.EmailField(
        label=_("E-Mail-Adresse der Person (freiwillig)"),
        required=False,
        help_text=_("Hat die Person ein Konto, erhält sie Nachrichten zu ihrer Idee."),
    )

    def clean_author_email(self):
        email = self.cleaned_data.get("author_email", "").strip()
        if not email:
            return None
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(_("Zu dieser Adresse gibt es kein Konto. Lassen Sie das Feld leer."))
        return user


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund (die Person liest ihn)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Zusammenführen mit"), queryset=Idea.objects.none())

    def __init__(self, *args, source: Idea, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Idea.objects.filter(status__in=PUBLIC_STATUSES).exclude(pk=source.pk)


class RoundForm(forms.Form):
    group = forms.ModelChoiceField(label=_("Arbeitskreis"), queryset=WorkingGroup.objects.all())
    title = forms.CharField(label=_("Titel der Runde"), max_length=120)
    deadline = forms.DateTimeField(label=_("Frist"), widget=widgets.DateTimeInput())
    ideas = forms.ModelMultipleChoiceField(
        label=_("Ideen"),
        queryset=Idea.objects.filter(status__in=[IdeaStatus.PUBLISHED, IdeaStatus.DEFERRED]),
        widget=forms.CheckboxSelectMultiple,
    )


class ScorecardForm(forms.Form):
    """One choice field per criterion, built from the group's scorecard."""

    def __init__(self, *args, criteria: list[Criterion], initial_values: dict[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            choices = [(value, value) for value in range(criterion.scale_min, criterion.scale_max + 1)]
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=f"{criterion.description} ({criterion.get_direction_display()})",
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                initial=initial_values.get(criterion.pk),
            )

    def values(self) -> dict[int, int]:
        return {criterion.pk: self.cleaned_data[f"criterion_{criterion.pk}"] for criterion in self.criteria}


class RecusalForm(forms.Form):
    reason = forms.CharField(label=_("Grund der Befangenheit (nur intern)"), max_length=250, required=False)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Entscheidung"), choices=Decision.Outcome.choices)
    reason = forms.CharField(
        label=_("Öffentliche Begründung"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
