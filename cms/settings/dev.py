"""Local development: SQLite, console email, the simulated locker driver."""

from .base import *  # noqa: F403
from .base import BASE_DIR, SECRET_KEY, env

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-not-secret-norderstedt-go"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEMO_SIGN_INS_VISIBLE = True
LOCKER_SIMULATOR_PAGE = True
VAPID_KEY_FILE = BASE_DIR / "var" / "vapid.json"

# Serve static files from the app folders; collectstatic is for production only.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
