"""How API views pick the content locale: ``?locale=`` first, then the request language."""

from rest_framework.exceptions import ValidationError

from django.conf import settings
from django.utils import translation

from wagtail.models import Locale


def requested_locale(request) -> Locale:
    code = request.query_params.get("locale") or translation.get_language() or settings.LANGUAGE_CODE
    if code not in dict(settings.LANGUAGES):
        raise ValidationError({"locale": [translation.gettext("Unbekannte Sprache. Erlaubt sind: de, en, de-ls.")]})
    return Locale.objects.filter(language_code=code).first() or Locale.get_default()
