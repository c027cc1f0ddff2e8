"""GDPR export and erasure of the account itself: user, profile, e-mail addresses, sign-ins.

Registered like every app's entry (``accounts.registry``). It also claims the fields of
Django's, allauth's and Wagtail's own models, so the coverage test sees every model of the
project. Wagtail's editorial and admin records are written by staff accounts only: a
citizen's account has no admin access, so it cannot own pages, revisions, comments, images
or log entries; Django clears or deletes their links to a deleted user by itself.
"""

from typing import Any

from allauth.account.models import EmailAddress

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from accounts.models import Profile

STAFF_RECORD = "staff-only editorial or admin record; a citizen account cannot write it"

COVERS = frozenset(
    {
        "auth.User.username",
        "auth.User.first_name",
        "auth.User.last_name",
        "auth.User.email",
        "accounts.Profile.user",
        "accounts.Profile.display_name",
        "account.EmailAddress.user",
        "account.EmailAddress.email",
        "sessions.Session.session_data",
    }
)

NOT_PERSONAL = {
    # Django's and Wagtail's own records of staff work (see the module docstring).
    "admin.*": STAFF_RECORD,
    "auth.Group.*": "names of staff roles",
    "auth.Permission.*": "names of permissions",
    "taggit.*": "tags chosen by editors",
    "wagtailcore.*": STAFF_RECORD,
    "wagtailadmin.*": STAFF_RECORD,
    "wagtaildocs.*": STAFF_RECORD,
    "wagtailimages.*": STAFF_RECORD,
    "wagtailembeds.*": "oEmbed metadata of embedded media, chosen by editors",
    "wagtail_localize.*": STAFF_RECORD,
    "wagtailsearch.*": "the search index of published content; rebuilt from the records it indexes",
    "wagtailusers.UserProfile.user": "Wagtail's admin preferences; deleted with the user (CASCADE)",
    "django_q.*": "task bookkeeping; our tasks take record ids, never names or addresses",
}


def _sign_ins(user: AbstractBaseUser):
    """The user's live sessions (browser sign-ins and the app's session tokens).

    Sessions are stored signed and encoded, so they are read one by one; only unexpired ones can
    still sign anyone in, and erasure is rare. Without a database session store there is nothing here.
    """
    if not settings.SESSION_ENGINE.endswith("db"):
        return []
    from django.contrib.sessions.models import Session

    live = Session.objects.filter(expire_date__gt=timezone.now()).order_by("expire_date")
    return [session for session in live.iterator() if session.get_decoded().get(SESSION_KEY) == str(user.pk)]


def account_core_export(*, user: AbstractBaseUser) -> dict[str, Any]:
    profile = Profile.objects.filter(user=user).first()
    return {
        "email": user.email,
        "username": user.get_username(),
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "display_name": profile.display_name if profile else "",
        "preferred_language": profile.preferred_language if profile else "",
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "signed_in_sessions": [{"expires_at": session.expire_date.isoformat()} for session in _sign_ins(user)],
    }


def account_core_erase(*, user: AbstractBaseUser) -> None:
    """Sign the user out everywhere; user, profile and e-mail addresses go with the user row (CASCADE)."""
    for session in _sign_ins(user):
        session.delete()
