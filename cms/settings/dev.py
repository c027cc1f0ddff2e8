"""Local development: SQLite, console email, the simulated locker driver."""

import json
from urllib.parse import urlsplit

from .base import *  # noqa: F403
from .base import (
    BASE_DIR,
    PUSH_ENDPOINT_LOCAL_HOSTS,
    PUSH_NOTIFICATIONS_SETTINGS,
    SECRET_KEY,
    SITE_URL,
    VAPID_PRIVATE_KEY,
    env,
)

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-norderstedt-go"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEMO_SIGN_INS_VISIBLE = True
LOCKER_SIMULATOR_PAGE = True
VAPID_KEY_FILE = BASE_DIR / "var" / "vapid.json"
if not VAPID_PRIVATE_KEY and VAPID_KEY_FILE.exists():
    # Written by notifications on `migrate` (make run); var/ is outside git.
    _vapid = json.loads(VAPID_KEY_FILE.read_text())
    VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY = _vapid["public_key"], _vapid["private_key"]
    PUSH_NOTIFICATIONS_SETTINGS = {**PUSH_NOTIFICATIONS_SETTINGS, "WP_PRIVATE_KEY": VAPID_PRIVATE_KEY}

# The demo devices' push service is the portal's own demo receiver (notifications/demo.py).
PUSH_ENDPOINT_LOCAL_HOSTS = [*PUSH_ENDPOINT_LOCAL_HOSTS, urlsplit(SITE_URL).hostname or "127.0.0.1"]

# Serve static files from the app folders; collectstatic is for production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
