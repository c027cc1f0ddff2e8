"""The portal's own error pages: in the site frame and the request's language.

``handler404`` (``cms.api.errors.not_found``) renders ``404.html`` in the full
frame. ``handler500`` must work when the database is what failed, so
``500.html`` is a frame of its own built from static files and URL patterns only,
rendered without the request's context processors (they read the user, the
session and the site settings from the database).
"""

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request, template_name="500.html"):
    if not translation.get_language():
        translation.activate(settings.LANGUAGE_CODE)
    body = loader.render_to_string(template_name, {"HELP_PHONE": settings.RENTALS_HELP_PHONE})
    return HttpResponseServerError(body)
