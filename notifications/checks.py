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
