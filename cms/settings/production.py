"""Production: every required variable must be set, or start-up fails loudly."""

import os
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    MQTT_CA_FILE,
    MQTT_CLIENT_CERT_FILE,
    MQTT_CLIENT_KEY_FILE,
    MQTT_URL,
    REDIS_URL,
    SECRET_KEY,
    SITE_URL,
    env,
)

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}

REQUIRED = {
    "SECRET_KEY": SECRET_KEY,
    "ALLOWED_HOSTS": ALLOWED_HOSTS,
    "DATABASE_URL": env("DATABASE_URL"),
    "SITE_URL": env("SITE_URL"),
    "EMAIL_HOST": env("EMAIL_HOST"),
    "DEFAULT_FROM_EMAIL": env("DEFAULT_FROM_EMAIL"),
    "MEDIA_ROOT": env("MEDIA_ROOT"),
    # 0 is a valid answer (gunicorn faces the clients), but it must be given: guessed wrong, either
    # every citizen shares the proxy's rate-limit bucket or clients can forge their address.
    "TRUSTED_PROXY_COUNT": env("TRUSTED_PROXY_COUNT"),
}
_missing = sorted(name for name, value in REQUIRED.items() if not value)
if _missing:
    raise ImproperlyConfigured("Missing required environment variables for production: " + ", ".join(_missing))
if not env("TRUSTED_PROXY_COUNT").isdigit():
    raise ImproperlyConfigured(
        "TRUSTED_PROXY_COUNT must be the number of reverse proxies in front of gunicorn (0 when there is none)."
    )
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
if not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("SITE_URL must start with https:// in production.")
if MQTT_URL and not MQTT_URL.startswith("mqtts://") and urlparse(MQTT_URL).hostname not in LOOPBACK_HOSTS:
    # Commands are signed, but events and PIN hashes would travel readable (docs/locker_protocol.md).
    raise ImproperlyConfigured("MQTT_URL must use mqtts:// (TLS) unless the broker runs on this host.")
if bool(MQTT_CLIENT_CERT_FILE) != bool(MQTT_CLIENT_KEY_FILE):
    raise ImproperlyConfigured("Set both MQTT_CLIENT_CERT_FILE and MQTT_CLIENT_KEY_FILE, or neither.")
_mqtt_files = {
    "MQTT_CA_FILE": MQTT_CA_FILE,
    "MQTT_CLIENT_CERT_FILE": MQTT_CLIENT_CERT_FILE,
    "MQTT_CLIENT_KEY_FILE": MQTT_CLIENT_KEY_FILE,
}
_unreadable = sorted(name for name, path in _mqtt_files.items() if path and not os.access(path, os.R_OK))
if _unreadable:
    raise ImproperlyConfigured("These MQTT TLS files are missing or unreadable: " + ", ".join(_unreadable))

DEBUG = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if not REDIS_URL:
    # allauth's rate limits must be shared by all gunicorn workers; without Redis
    # the database holds the cache (run `manage.py createcachetable` on deploy).
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cms_cache"}}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [SITE_URL]
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEMO_SIGN_INS_VISIBLE = False
LOCKER_SIMULATOR_PAGE = False

# Wagtail's live preview renders the page in a same-origin frame, so frames stay
# allowed for our own origin (SAMEORIGIN) instead of Django's preferred DENY.
SILENCED_SYSTEM_CHECKS = ["security.W019"]
