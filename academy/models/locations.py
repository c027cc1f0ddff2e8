"""Where sessions take place."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet


class Location(index.Indexed, models.Model):
    """Where sessions take place. A snippet, so a room is described once and reused."""

    name = models.CharField(_("Name"), max_length=120)
    address = models.CharField(_("Adresse"), max_length=200)
    directions = models.TextField(_("Anfahrt"), blank=True)
    accessibility = models.TextField(_("Barrierefreiheit"), blank=True)
    step_free = models.BooleanField(_("Stufenlos erreichbar"), default=False)
    hearing_loop = models.BooleanField(_("Induktionsschleife"), default=False)

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("directions"),
        FieldPanel("accessibility"),
        FieldRowPanel([FieldPanel("step_free"), FieldPanel("hearing_loop")]),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("Kursort")
        verbose_name_plural = _("Kursorte")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


register_snippet(Location)
