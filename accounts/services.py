"""Writes for citizen accounts."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from accounts.models import Profile


def profile_ensure(*, user: AbstractBaseUser, language: str = "") -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    if language and profile.preferred_language != language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
    return profile


@transaction.atomic
def profile_update(*, user: AbstractBaseUser, preferred_language: str, display_name: str) -> Profile:
    profile = profile_ensure(user=user)
    profile.preferred_language = preferred_language
    profile.display_name = display_name
    profile.save(update_fields=["preferred_language", "display_name"])
    return profile
