"""allauth adapter: usernames are internal, e-mail is what citizens know."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter

from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        if not user.username:
            user.username = f"b-{uuid.uuid4().hex[:20]}"

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from accounts.services import profile_ensure

            profile_ensure(user=user, language=translation.get_language() or "de")
        return user
