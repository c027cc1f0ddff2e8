from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import EmailMode


class PreferencesForm(forms.Form):
    """The "Benachrichtigungen" form. Works without JavaScript."""

    topics = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    quiet_start = forms.TimeField(label=_("Ruhezeit von"), required=False)
    quiet_end = forms.TimeField(label=_("Ruhezeit bis"), required=False)

    def __init__(self, *args, topic_slugs: list[str], email_enabled: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(slug, slug) for slug in topic_slugs]
        self.email_enabled = email_enabled
        for slug in topic_slugs:
            self.fields[f"email_{slug}"] = forms.ChoiceField(
                required=False, choices=[("", _("keine E-Mail")), *EmailMode.choices]
            )

    def email_modes(self) -> dict[str, str]:
        if not self.email_enabled:
            return {}
        return {
            name.removeprefix("email_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("email_") and value
        }

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("quiet_start")) != bool(cleaned.get("quiet_end")):
            raise forms.ValidationError(_("Bitte geben Sie Beginn und Ende der Ruhezeit an, oder keins von beiden."))
        return cleaned
