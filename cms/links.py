"""Absolute links from one source: ``SITE_URL``.

Page links come from Wagtail's Site record, which ``home.services.site_address_apply``
keeps equal to ``SITE_URL`` after every ``migrate``; every other absolute link
(e-mails, QR codes, feeds, alerts) goes through ``absolute_url``. Neither looks at
the request's Host header, so a proxy's internal name never leaks into a push
message or an e-mail.
"""

from django.conf import settings


def absolute_url(path_or_url: str) -> str:
    """``/de/verleih/…`` → ``https://go.norderstedt.de/de/verleih/…``; full URLs stay as they are."""
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return f"{settings.SITE_URL}/{path_or_url.lstrip('/')}"
