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


def account_export(*, user: AbstractBaseUser) -> dict:
    """Everything the portal holds about a citizen, as one JSON document."""
    from accounts.registry import personal_data_entries

    profile = profile_ensure(user=user)
    data = {
        "account": {
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "display_name": profile.display_name,
            "preferred_language": profile.preferred_language,
        }
    }
    for entry in personal_data_entries():
        data[entry.key] = entry.export(user=user)
    return data


@transaction.atomic
def account_delete(*, user: AbstractBaseUser) -> None:
    """Erase a citizen: every app erases or anonymises its records, then the user goes.

    One transaction: if any app fails, nothing is deleted and the citizen can try again.
    """
    from accounts.registry import personal_data_entries

    for entry in personal_data_entries():
        entry.erase(user=user)
    user.delete()
