"""Reads for citizen accounts."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser


def preferred_language(*, user: AbstractBaseUser | None) -> str:
    """The language a citizen reads e-mails and notices in; German when unknown.

    Works for users without a profile and for no user at all (phone callers).
    """
    profile = getattr(user, "profile", None)
    return getattr(profile, "preferred_language", "") or settings.LANGUAGE_CODE
