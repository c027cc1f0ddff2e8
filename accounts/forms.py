from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Name (freiwillig)"), max_length=120, required=False)
    preferred_language = forms.ChoiceField(label=_("Sprache für E-Mails"), choices=settings.LANGUAGES)


class AccountDeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Ja, ich möchte mein Konto und alle meine Daten löschen."),
        error_messages={"required": _("Bitte bestätigen Sie, dass Sie Ihr Konto löschen möchten.")},
    )
