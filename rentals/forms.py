"""Forms of the citizen flow and the staff tools: they parse input, services decide."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms import widgets
from rentals.models import Item, Reservation


class ReserveForm(forms.Form):
    """A start and a duration; the item type comes from the address."""

    day = forms.DateField(label=pgettext_lazy("calendar day", "Tag"), widget=widgets.DateInput())
    start = forms.TimeField(label=_("Beginn"), widget=widgets.TimeInput(attrs={"step": 900}))
    duration_minutes = forms.IntegerField(label=_("Dauer in Minuten"), min_value=1, max_value=14 * 24 * 60)

    def range(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_current_timezone()
        starts_at = timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["day"], self.cleaned_data["start"]), zone
        )
        return starts_at, starts_at + datetime.timedelta(minutes=self.cleaned_data["duration_minutes"])


class CallerReserveForm(ReserveForm):
    """Staff book for someone who called: name and phone instead of an account."""

    item_type = forms.ModelChoiceField(label=_("Leihgegenstand"), queryset=None)
    caller_name = forms.CharField(label=_("Name"), max_length=120)
    caller_phone = forms.CharField(label=_("Telefon"), max_length=40)

    def __init__(self, *args, item_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_type"].queryset = item_types
        self.order_fields(["item_type", "caller_name", "caller_phone", "day", "start", "duration_minutes"])


class ProblemReportForm(forms.Form):
    text = forms.CharField(
        label=_("Was ist nicht in Ordnung?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Zum Beispiel: Bremse locker, Rad kaputt, etwas fehlt."),
    )


class OpenForm(forms.Form):
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)


class StaffOpenForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Gegenstand"), queryset=Item.objects.select_related("item_type"))
    reason = forms.CharField(label=_("Grund"), max_length=200)
    request_key = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)


class ItemConditionForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Gegenstand"), queryset=Item.objects.select_related("item_type"))
    status = forms.ChoiceField(label=_("Status"), choices=Item.Status.choices)
    condition = forms.ChoiceField(label=_("Zustand"), choices=Item.Condition.choices)
    note = forms.CharField(label=_("Notiz"), max_length=2000, required=False)
    maintenance_until = forms.DateTimeField(
        label=_("Wartung bis (storniert betroffene Reservierungen)"),
        required=False,
        widget=widgets.DateTimeInput(),
    )


class ReservationFilterForm(forms.Form):
    """Filters of the staff reservation list; every field optional."""

    state = forms.ChoiceField(label=_("Status"), choices=[("", _("alle")), *Reservation.State.choices], required=False)
    item_type = forms.ModelChoiceField(label=_("Leihgegenstand"), queryset=None, required=False, empty_label=_("alle"))
    day = forms.DateField(label=pgettext_lazy("calendar day", "Tag"), required=False, widget=widgets.DateInput())
    query = forms.CharField(label=_("Name, Telefon oder Nummer"), required=False, max_length=120)

    def __init__(self, *args, item_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item_type"].queryset = item_types
