"""Values every template needs: the language switcher and the site name."""

from django.conf import settings
from django.utils import translation


def portal(request):
    return {
        "PORTAL_LANGUAGES": settings.LANGUAGES,
        "CURRENT_LANGUAGE": translation.get_language(),
        "DEMO_SIGN_INS_VISIBLE": getattr(settings, "DEMO_SIGN_INS_VISIBLE", False),
        "HELP_PHONE": settings.RENTALS_HELP_PHONE,
    }
