"""Deployment checks of the push platforms (``manage.py check --deploy``).

A platform whose settings are half there is the dangerous case: devices of it
are refused at registration and skipped at planning, and nobody notices until a
citizen asks why their phone stays silent. A platform left out on purpose (no
app yet, so no FCM and APNs settings at all; no push at all, so no VAPID keys)
is not reported.
"""

from django.conf import settings
from django.core.checks import Tags, Warning, register

from notifications.push.configuration import apns_configured, fcm_configured, web_push_configured
from notifications.push.endpoints import is_ip_literal


@register(Tags.compatibility, deploy=True)
def push_platforms_check(app_configs, **kwargs):
    warnings = []
    if (settings.VAPID_PUBLIC_KEY or settings.VAPID_PRIVATE_KEY) and not web_push_configured():
        warnings.append(
            Warning(
                "Web Push has only one of its VAPID keys: browsers cannot switch notifications on.",
                hint="Set VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (docs/notifications.md, Production configuration).",
                id="notifications.W001",
            )
        )
    if (settings.FCM_CREDENTIALS_FILE or settings.FCM_PROJECT_ID) and not fcm_configured():
        warnings.append(
            Warning(
                "FCM is set up only in part: the credentials file FCM_CREDENTIALS_FILE is missing.",
                hint="Android devices are refused at registration and skipped when sending until the file is there.",
                id="notifications.W002",
            )
        )
    if (settings.APNS_KEY_FILE or settings.APNS_KEY_ID or settings.APNS_TEAM_ID) and not apns_configured():
        warnings.append(
            Warning(
                "APNs is set up only in part: APNS_KEY_FILE must exist and APNS_KEY_ID and APNS_TEAM_ID be set.",
                hint="iPhones are refused at registration and skipped when sending until all three are there.",
                id="notifications.W003",
            )
        )
    return warnings


@register(Tags.security, deploy=True)
def push_endpoints_check(app_configs, **kwargs):
    """The SSRF guard (notifications/push/endpoints.py) only helps when its lists say what they should."""
    warnings = []
    allowed = settings.PUSH_ENDPOINT_ALLOW_HOSTS
    if not allowed or any(is_ip_literal(host) for host in allowed):
        warnings.append(
            Warning(
                "PUSH_ENDPOINT_ALLOW_HOSTS is empty or names an IP address.",
                hint="List the push services' host names (the default lists the browsers' public ones); "
                "IP addresses are always refused.",
                id="notifications.W004",
            )
        )
    if settings.PUSH_ENDPOINT_LOCAL_HOSTS:
        warnings.append(
            Warning(
                "PUSH_ENDPOINT_LOCAL_HOSTS lets the push worker reach "
                f"{', '.join(settings.PUSH_ENDPOINT_LOCAL_HOSTS)} without the public-address check.",
                hint="Leave it empty in production; it is meant for a test push service or the demo.",
                id="notifications.W005",
            )
        )
    return warnings
