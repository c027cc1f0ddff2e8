"""Signed one-click links in emails: cancel, leave the waiting list, confirm a held place.

The token names the registration and the action and is signed with SECRET_KEY
(``django.core.signing``), so nothing needs storing and a link for one action
cannot be used for another. Links expire after ``MAX_AGE``. Opening a link shows
a page with one button; the change happens on POST, so mail scanners that follow
links change nothing.
"""

from django.core import signing
from django.urls import reverse

from academy.models import Registration

SALT = "academy.registration-link"
MAX_AGE = 120 * 24 * 3600
ACTIONS = ("cancel", "confirm")


def registration_token(*, registration: Registration, action: str) -> str:
    return signing.dumps({"r": registration.pk, "a": action}, salt=SALT, compress=True)


def registration_link(*, registration: Registration, action: str) -> str:
    return reverse(
        "academy:registration_link", args=[action, registration_token(registration=registration, action=action)]
    )


def registration_from_token(*, token: str, action: str) -> Registration | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("a") != action:
        return None
    return Registration.objects.select_related("course", "session", "user").filter(pk=data.get("r")).first()
