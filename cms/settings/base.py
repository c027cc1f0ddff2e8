"""Settings shared by every environment.

Environment variables are read here and nowhere else (see ``env`` below), so that
``production.py`` only has to decide which of them are required.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONCE, NONE, SELF

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env(name: str, default: str = "") -> str:
    """The one place that reads the process environment."""
    return os.environ.get(name, default)


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.lower() in {"1", "true", "yes", "on"}


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
REDIS_URL = env("REDIS_URL")
MQTT_URL = env("MQTT_URL")
REQUIRE_SERVICES = env_bool("REQUIRE_SERVICES")
TASK_BROKER = env("TASK_BROKER", "orm")  # "orm" or "redis"
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
LOCKER_DRIVER = env("LOCKER_DRIVER", "mqtt" if MQTT_URL else "simulated")
# Locker bridge (docs/locker_bridge.md, docs/locker_protocol.md "Production
# transport"). TLS: use an mqtts:// URL; MQTT_CA_FILE pins the broker's CA.
# Credentials go in the URL (mqtts://user:password@host), or a client
# certificate in MQTT_CLIENT_CERT_FILE and MQTT_CLIENT_KEY_FILE.
LOCKER_TOPIC_PREFIX = env("LOCKER_TOPIC_PREFIX", "norderstedt/lockers")
LOCKER_COMMAND_TTL_SECONDS = int(env("LOCKER_COMMAND_TTL_SECONDS", "30"))
LOCKER_HEARTBEAT_SECONDS = int(env("LOCKER_HEARTBEAT_SECONDS", "30"))
LOCKER_BRIDGE_CLIENT_ID = env("LOCKER_BRIDGE_CLIENT_ID", "norderstedt-locker-bridge")
# The bridge asks every online controller for a state report this often (0: never),
# so a door event lost while the controller stayed online is repaired.
LOCKER_STATE_REPORT_SECONDS = int(env("LOCKER_STATE_REPORT_SECONDS", "300"))
# How long a state report may be ahead of door events still on their way (a broker restart makes
# paho resend them late) before the bridge treats them as lost (docs/locker_bridge.md).
LOCKER_EVENT_GRACE_SECONDS = int(env("LOCKER_EVENT_GRACE_SECONDS", "30"))
LOCKER_ALERT_EMAILS = env_list("LOCKER_ALERT_EMAILS")
LOCKER_HISTORY_DAYS = int(
    env("LOCKER_HISTORY_DAYS", "180")
)  # events and finished commands kept  # staff e-mailed on each new locker alert
MQTT_CA_FILE = env("MQTT_CA_FILE")
MQTT_CLIENT_CERT_FILE = env("MQTT_CLIENT_CERT_FILE")
MQTT_CLIENT_KEY_FILE = env("MQTT_CLIENT_KEY_FILE")
LOCKER_SIMULATOR_PAGE = False
# Shown to a citizen whose compartment did not open (docs/rentals.md, "When a door does not open").
RENTALS_HELP_PHONE = env("RENTALS_HELP_PHONE", "040 535 95-0")
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (docs/security.md, "Client
# addresses behind the proxy"); required in production. cms/client_address.py applies it.
_proxies = env("TRUSTED_PROXY_COUNT", "0")
TRUSTED_PROXY_COUNT = int(_proxies) if _proxies.isdigit() else 0  # production.py refuses a non-number
VAPID_PUBLIC_KEY = env("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env("VAPID_PRIVATE_KEY")
VAPID_SUBJECT = env("VAPID_SUBJECT", "mailto:digital@norderstedt.de")

INSTALLED_APPS = [
    "home",
    "news",
    "notifications",
    "accounts",
    "locker_bridge",
    "rentals",
    "academy",
    "ideas",
    "cms",
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "push_notifications",
    "django_q",
    "axes",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.headers.PortalCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.PortalLocaleMiddleware",
    "cms.middleware.RejectNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cms.headers.PersonalResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into accounts.lockout.lockout_response
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=5000;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out sign-in never reaches a password check (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# --- Password sign-ins: lockout after repeated failures (accounts/lockout.py) ----
# Per client address or per account, whichever reaches the limit first; a success resets the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_CLIENT_IP_CALLABLE = "cms.client_address.client_address"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------
# German is the source language. "de-ls" is Leichte Sprache (easy German): a
# Wagtail locale of its own, so editors create it like a translation
# (docs/decisions.md, "Leichte Sprache as a locale"). Its interface strings fall
# back to the German catalogue.
LANGUAGE_CODE = "de"
LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "English"),
    ("de-ls", "Leichte Sprache"),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["cms.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- Wagtail ---------------------------------------------------------------
WAGTAIL_SITE_NAME = "Norderstedt GO!"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_MODERATION_ENABLED = True
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
WAGTAILADMIN_PERMITTED_LANGUAGES = [("de", "Deutsch"), ("en", "English")]
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None

# --- Accounts (django-allauth, sign-in by emailed code) --------------------
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_REQUIRED = False
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
# allauth's own rate limits stay on (its defaults, e.g. 3 code requests per
# minute and address, 20 per minute and IP); they need a shared cache, which
# Redis provides in production.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # the adapter asks cms.client_address as well
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Norderstedt GO! – "
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_TOKEN_STRATEGY = "allauth.headless.tokens.strategies.sessions.SessionTokenStrategy"
HEADLESS_SERVE_SPECIFICATION = True
LOGIN_URL = "account_request_login_code"
LOGIN_REDIRECT_URL = "accounts:my_account"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Norderstedt GO! <go@norderstedt.de>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
STAFF_NOTIFICATION_EMAILS = env_list("STAFF_NOTIFICATION_EMAILS", "barrierefreiheit@norderstedt.de")

# --- API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PARSER_CLASSES": [
        "cms.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "cms.api.pagination.PortalPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "cms.api.authentication.SessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "cms.api.errors.problem_exception_handler",
    # docs/security.md, "API throttling": scoped limits count writes only (cms/api/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "cms.api.throttling.AnonThrottle",
        "cms.api.throttling.UserThrottle",
        "cms.api.throttling.ScopedWriteThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/min",
        "user": "240/min",
        "ideas_submit": "10/hour",
        "ideas_relation": "120/hour",
        "push_device_register": "20/hour",
        "push_device_update": "120/hour",
    },
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Norderstedt GO! API",
    "DESCRIPTION": "REST API of the Norderstedt GO! civic portal for the town's app.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["cms.api.urls.only_public_api"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "cms.api.idempotency.idempotency_header_hook",
    ],
    # Several apps have a "status" field; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {"IdeaStatusEnum": "ideas.models.ideas.IdeaStatus"},
}

# --- Tasks (django-q2) -----------------------------------------------------
# retry must exceed timeout or a slow task is handed out twice; max_attempts
# bounds poison tasks. Q_CLUSTER_NAME names the queue (the Redis list key), so
# two deployments or benchmarks sharing one Redis never take each other's tasks.
Q_CLUSTER = {
    "name": env("Q_CLUSTER_NAME", "norderstedt"),
    "workers": int(env("Q_WORKERS", "2")),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 5,
    "queue_limit": 100,
    "bulk": 10,
    "catch_up": False,
    "label": "Tasks",
    "orm": "default",
    "poll": 0.5,
}
if TASK_BROKER == "redis" and REDIS_URL:
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = REDIS_URL

# Push fan-out (docs/notifications.md). FCM and APNs stay off until configured.
PUSH_WEBPUSH_CONCURRENCY = int(env("PUSH_WEBPUSH_CONCURRENCY", "64"))
PUSH_WEBPUSH_CA_BUNDLE = env("PUSH_WEBPUSH_CA_BUNDLE")
PUSH_CHUNK_SIZE = int(env("PUSH_CHUNK_SIZE", "500"))
# Web Push endpoints only at these push services (notifications/push/endpoints.py): Chrome and
# Android browsers (FCM), Firefox (Mozilla autopush), Safari (Apple), Edge (WNS).
PUSH_ENDPOINT_ALLOW_HOSTS = env_list(
    "PUSH_ENDPOINT_ALLOW_HOSTS",
    "fcm.googleapis.com,android.googleapis.com,updates.push.services.mozilla.com,"
    "web.push.apple.com,*.push.apple.com,*.notify.windows.com",
)
# Hosts reached without the public-address check: for a test push service or the demo only.
PUSH_ENDPOINT_LOCAL_HOSTS = env_list("PUSH_ENDPOINT_LOCAL_HOSTS")
FCM_CREDENTIALS_FILE = env("FCM_CREDENTIALS_FILE")
FCM_PROJECT_ID = env("FCM_PROJECT_ID")
FCM_ENDPOINT = env("FCM_ENDPOINT")
APNS_KEY_FILE = env("APNS_KEY_FILE")
APNS_KEY_ID = env("APNS_KEY_ID")
APNS_TEAM_ID = env("APNS_TEAM_ID")
APNS_TOPIC = env("APNS_TOPIC", "de.norderstedt.go")
APNS_USE_SANDBOX = env_bool("APNS_USE_SANDBOX")
APNS_HOST = env("APNS_HOST")
APNS_PORT = int(env("APNS_PORT", "443"))
VAPID_KEY_FILE = None

PUSH_NOTIFICATIONS_SETTINGS = {
    "WP_PRIVATE_KEY": VAPID_PRIVATE_KEY,
    "WP_CLAIMS": {"sub": VAPID_SUBJECT},
    "UPDATE_ON_DUPLICATE_REG_ID": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "wagtail_localize": {"level": "WARNING"},
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# --- Response headers (docs/security.md, "Headers"; cms/headers.py) -------------------------
# Content-Security-Policy (django-csp): nothing but our own origin, no inline script or style;
# a template that needs an inline element gives it the request's nonce. The Wagtail admin gets
# a few more sources in cms.headers.ADMIN_POLICY (docs/decisions.md, "A strict CSP").
# Images and videos come from our origin, unless MEDIA_URL points at another one (a storage bucket).
_media = urlsplit(MEDIA_URL)
_media_origins = [f"{_media.scheme}://{_media.netloc}"] if _media.netloc else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", *_media_origins],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF, *_media_origins],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
    },
}
# Permissions-Policy (django-permissions-policy): no page of the portal uses a camera, a
# microphone or the location; push needs no feature here. Copy buttons and the editor's
# full-screen preview keep clipboard-write and fullscreen for our own origin.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "clipboard-read": [],
    "clipboard-write": ["self"],
    "display-capture": [],
    "fullscreen": ["self"],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "idle-detection": [],
    "local-fonts": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-get": [],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}
# The language cookie holds only a language code, but it rides along with the session cookie:
# same rules (production.py makes it Secure).
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# No avatar request leaves the portal: Gravatar would receive a hash of each staff address.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the admin ask releases.wagtail.org for new versions; upgrades follow requirements.txt.
WAGTAIL_ENABLE_UPDATE_CHECK = False
X_FRAME_OPTIONS = "SAMEORIGIN"
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# --- Rentals ----------------------------------------------------------------
# Retention and grace periods of park equipment rentals (docs/rentals.md).
RENTALS_RETENTION_DAYS = int(env("RENTALS_RETENTION_DAYS", "90"))
RENTALS_ACCESS_LOG_RETENTION_DAYS = int(env("RENTALS_ACCESS_LOG_RETENTION_DAYS", "365"))
RENTALS_NO_SHOW_GRACE_MINUTES = int(env("RENTALS_NO_SHOW_GRACE_MINUTES", "30"))
RENTALS_STAFF_EMAILS = env_list("RENTALS_STAFF_EMAILS", "verleih@norderstedt.de")
# --- Digitalakademie ---------------------------------------------------------
# How long a place offered from the waiting list is held (shorter when the
# session is soon), and the share of sessions that earns a certificate.
ACADEMY_HOLD_HOURS = int(env("ACADEMY_HOLD_HOURS", "24"))
ACADEMY_CERTIFICATE_SHARE = float(env("ACADEMY_CERTIFICATE_SHARE", "0.75"))
