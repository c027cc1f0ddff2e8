"""Brute-force protection for password sign-ins (django-axes): the Wagtail admin, the Django admin and
allauth's password form. Citizens sign in by e-mailed code, which allauth limits itself.

After ``AXES_FAILURE_LIMIT`` wrong passwords from one client address, or for one account from any
address, sign-in is refused for ``AXES_COOLOFF_TIME``. Every failure is recorded (``AccessAttempt``,
``AccessFailureLog``, visible under "Axes" in the Django admin) and axes logs the lockout
(docs/security.md, "Password logins").
"""

import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

LOGIN_FIELDS = ("username", "email", "login")


def lockout_username(request: HttpRequest, credentials: dict | None) -> str:
    """The account a sign-in is for, however it was spelled.

    The admin forms accept a username or an e-mail address in any case (allauth's backend), so an
    attacker could spread guesses over "Admin", "ADMIN" and "admin@…" to stay under a per-name limit.
    The lockout therefore counts the account's own username, or the lower-cased input when no
    account matches.
    """
    source = credentials or getattr(request, "POST", {}) or {}
    login = next((str(source[field]) for field in LOGIN_FIELDS if source.get(field)), "").strip()
    if not login:
        return ""
    user = (
        get_user_model()
        .objects.filter(Q(username__iexact=login) | Q(email__iexact=login))
        .order_by("pk")
        .only("username")
        .first()
    )
    return user.get_username() if user else login.lower()


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """429 with a plain German page and ``Retry-After``, for the admin and the citizens' site alike."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "accounts/login_locked_out.html",
        {"minutes": math.ceil(seconds / 60)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


# GDPR (accounts.registry): the sign-in records name the account by its username.
SIGN_IN_RECORDS_COVER = frozenset(
    {
        "axes.AccessAttempt.ip_address",
        "axes.AccessAttempt.get_data",
        "axes.AccessAttempt.post_data",
        "axes.AccessFailureLog.ip_address",
        "axes.AccessLog.ip_address",
    }
)


def _sign_in_records(user) -> list:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    username = user.get_username()
    return [model.objects.filter(username=username) for model in (AccessAttempt, AccessFailureLog, AccessLog)]


def sign_in_records_export(*, user) -> list[dict]:
    attempts, failures, successes = _sign_in_records(user)
    rows = [{"kind": "failed", "at": row.attempt_time.isoformat(), "ip_address": row.ip_address} for row in failures]
    rows += [
        {"kind": "signed_in", "at": row.attempt_time.isoformat(), "ip_address": row.ip_address} for row in successes
    ]
    rows += [
        {"kind": "lockout_count", "at": row.attempt_time.isoformat(), "ip_address": row.ip_address} for row in attempts
    ]
    return rows


def sign_in_records_erase(*, user) -> None:
    for records in _sign_in_records(user):
        records.delete()
