"""Test settings: locmem cache, MD5 hasher, synchronous tasks.

Runtime code never asks whether it is under test; these settings make the same
code paths fast and deterministic.
"""

from .base import *  # noqa: F403
from .base import PUSH_NOTIFICATIONS_SETTINGS, Q_CLUSTER

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
LOCKER_DRIVER = "simulated"
DEMO_SIGN_INS_VISIBLE = False
LOCKER_SIMULATOR_PAGE = True

# Serve static files from the app folders; collectstatic is for production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A fixed, test-only VAPID key pair, so Web Push counts as configured
# (notifications.push.configuration); tests that check signatures make their own.
VAPID_PRIVATE_KEY = "iqRkPTt3xHuYqFU1-MimQxcjwvlIbhUrx9FFma_rln0"
VAPID_PUBLIC_KEY = "BMam9DiZZN7msNjB3g6h54YjjGvYMLZ68_6iaMqRE9bc7vl190zfrVvxfyY2OW-AaGUVNAc2GiUqb9nN1BX3Su0"
PUSH_NOTIFICATIONS_SETTINGS = {**PUSH_NOTIFICATIONS_SETTINGS, "WP_PRIVATE_KEY": VAPID_PRIVATE_KEY}
# The repo's test push service (tests/notifications/push_service.py) listens on loopback.
PUSH_ENDPOINT_LOCAL_HOSTS = ["127.0.0.1"]
