from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name (freiwillig)"), max_length=120, required=False)
    preferred_language = forms.ChoiceField(label=_("Sprache für E-Mails"), choices=settings.LANGUAGES)
