"""allauth adapter: usernames are internal, e-mail is what citizens know."""

import uuid

from allauth.account.adapter import DefaultAccountAdapter

from django.core.exceptions import PermissionDenied
from django.utils import translation
from django.utils.translation import gettext_lazy

from cms.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    # allauth's German catalogue says "du" and "gescheiterte Anmeldeversuche"; German is our source
    # language, so these msgids are ours and the English catalogue translates them (docs/security.md).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": gettext_lazy(
            "Zu viele Versuche in kurzer Zeit. Bitte warten Sie einige Minuten und versuchen Sie es dann noch einmal."
        ),
        "rate_limited": gettext_lazy(
            "Zu viele Anfragen in kurzer Zeit. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal."
        ),
    }

    def get_client_ip(self, request) -> str:
        """allauth's rate limits count by the same client address as the API and the login lockout."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine the client address.")
        return address

    def populate_username(self, request, user):
        if not user.username:
            user.username = f"b-{uuid.uuid4().hex[:20]}"

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from accounts.services import profile_ensure

            profile_ensure(user=user, language=translation.get_language() or "de")
        return user
