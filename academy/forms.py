"""Forms for citizens (register on a course page) and staff (phone registration, sessions)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from academy.models import AccessNeed, Location, Session
from cms import widgets


class RegistrationForm(forms.Form):
    session = forms.IntegerField(required=False, widget=forms.HiddenInput)
    with_companion = forms.BooleanField(label=_("Ich bringe eine Begleitperson mit"), required=False)
    access_needs = forms.MultipleChoiceField(
        label=_("Ich brauche Unterstützung"),
        choices=AccessNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access_needs_text = forms.CharField(label=_("Weitere Unterstützung"), max_length=300, required=False)


class PhoneRegistrationForm(RegistrationForm):
    name = forms.CharField(label=_("Name"), max_length=120)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    email = forms.EmailField(label=_("E-Mail"), required=False)
    note = forms.CharField(label=_("Notiz"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("phone") or cleaned.get("email")):
            raise forms.ValidationError(_("Bitte geben Sie eine Telefonnummer oder eine E-Mail-Adresse an."))
        return cleaned


class SessionForm(forms.Form):
    start = forms.DateTimeField(label=_("Beginn"), widget=widgets.DateTimeInput())
    end = forms.DateTimeField(label=_("Ende"), widget=widgets.DateTimeInput())
    location = forms.ModelChoiceField(label=_("Ort"), queryset=Location.objects.all())
    capacity = forms.IntegerField(label=_("Plätze"), min_value=1, max_value=500, initial=12)

    @classmethod
    def for_session(cls, session: Session, data=None):
        return cls(
            data,
            initial={
                "start": session.start,
                "end": session.end,
                "location": session.location,
                "capacity": session.capacity,
            },
        )


class SessionCancelForm(forms.Form):
    message = forms.CharField(
        label=_("Nachricht an alle Teilnehmenden"), widget=forms.Textarea(attrs={"rows": 4}), max_length=250
    )


class BroadcastForm(forms.Form):
    subject = forms.CharField(label=_("Betreff"), max_length=100)
    body = forms.CharField(label=_("Nachricht"), widget=forms.Textarea(attrs={"rows": 5}), max_length=280)
