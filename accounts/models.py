"""A citizen's profile next to Django's user."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Profile(models.Model):
    """Preferences that belong to a person, not to a device.

    The preferred language decides the language of emails and personal notices
    sent when the citizen is not looking at the site.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    preferred_language = models.CharField(
        _("Bevorzugte Sprache"), max_length=10, choices=settings.LANGUAGES, default="de"
    )
    display_name = models.CharField(_("Name (freiwillig)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("Profil")
        verbose_name_plural = pgettext_lazy("plural of Profil", "Profile")

    def __str__(self) -> str:
        return self.display_name or self.user.email
