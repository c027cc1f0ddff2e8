"""Whether each push platform can send: one function per platform, read by registration, planning and sending.

A platform without its credentials is not an error of one device: every device
of that platform would fail the same way. So registration refuses such devices,
planning records the existing ones as ``skipped`` and sending never starts the
platform's client (docs/notifications.md, "Platforms that are not configured").
"""

from pathlib import Path

from django.conf import settings

from notifications.models import Platform


def _file_present(path: str | None) -> bool:
    return bool(path) and Path(path).is_file()


def web_push_configured() -> bool:
    """Both VAPID keys are set (RFC 8292): browsers subscribe with the public one, we sign with the private one."""
    return bool(settings.VAPID_PRIVATE_KEY and settings.VAPID_PUBLIC_KEY)


def fcm_configured() -> bool:
    """The Firebase service-account file is present."""
    return _file_present(settings.FCM_CREDENTIALS_FILE)


def apns_configured() -> bool:
    """The APNs token key (.p8) is present, with its key id and team id."""
    return _file_present(settings.APNS_KEY_FILE) and bool(settings.APNS_KEY_ID and settings.APNS_TEAM_ID)


PLATFORM_CONFIGURED = {Platform.WEB: web_push_configured, Platform.FCM: fcm_configured, Platform.APNS: apns_configured}


def platform_configured(platform: str) -> bool:
    check = PLATFORM_CONFIGURED.get(platform)
    return bool(check and check())


def platforms_unconfigured() -> list[str]:
    return [platform for platform, check in PLATFORM_CONFIGURED.items() if not check()]
