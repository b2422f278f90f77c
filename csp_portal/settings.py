"""Settings for the CSP portal, read from the environment.

Every setting a deployment may change is documented in README.md ("Configuration").
With no DATABASE_URL the portal runs on an SQLite file so a newcomer can try it with
nothing installed; PostgreSQL is the production database and the one CI tests against.
"""

import hashlib
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from csp_portal.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # Django 6's tasks framework (django.tasks), through its backport for 5.2; the
    # database backend's tables are always there, so switching backends needs no migration.
    "django_tasks",
    "django_tasks_db",
    "csp_portal",
    "performance",
    "plans",
    "funding",
    "meetings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): signed in with a second factor (django-otp).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An idle session ends (SESSION_IDLE_TIMEOUT); the sign-in page returns to the page.
    "csp_portal.idle_timeout.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "csp_portal.headers.PermissionsPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Every view needs a login unless marked @login_not_required (public pages).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Administrators reach no page until a second factor verified their session.
    "csp_portal.two_factor.RequireSecondFactorMiddleware",
    # Axes goes last: it turns a locked-out login attempt into a clear lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csp_portal.urls"
WSGI_APPLICATION = "csp_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp_portal.context_processors.navigation",
                "csp_portal.idle_timeout.context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Form choice lists iterate their querysets with .iterator(); on PostgreSQL that opens a
# server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE: three round trips and a copy of
# the result at commit) for lists of a few dozen rows. Every queryset the portal
# iterates fits in memory, so one plain SELECT is cheaper.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Redis, when REDIS_URL is set, holds the cache (and the task queue, below): the one
# thing several servers behind one address must share besides PostgreSQL and the media.
REDIS_URL = env_str("REDIS_URL")
# Entries belong to one database: a checkout serving two (the demo and `make load`'s)
# must not read one's sessions or tables for the other.
CACHE_KEY_PREFIX = hashlib.sha256(
    "|".join(
        str(DATABASES["default"].get(part) or "") for part in ("ENGINE", "HOST", "PORT", "NAME")
    ).encode()
).hexdigest()[:12]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "TIMEOUT": 600,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    # A cache every worker process of one server shares, with nothing to run beside
    # PostgreSQL: files under CACHE_DIR (made 0700 by Django; only the portal's user may
    # write there, since entries are pickles). It holds sessions, the dashboards'
    # computed tables and background jobs' progress. Several servers need REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "TIMEOUT": 600,
            # A full cache drops a third of its entries at random: a dropped session is
            # read from the database again, a dropped table is computed again.
            "OPTIONS": {"MAX_ENTRIES": 5000},
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
# Sessions are read from the cache (one file read instead of a query on every request)
# and written to both, so a cache that is emptied or lost signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# An idle session ends after SESSION_IDLE_MINUTES (csp_portal/idle_timeout.py), with a
# warning SESSION_IDLE_WARNING seconds before; the cookie expires on the same clock.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_IDLE_WARNING = min(120, SESSION_IDLE_TIMEOUT // 2)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT + 60

# A second factor (TOTP, django-otp) is open to everyone and required of administrators
# (staff, superusers) unless OTP_REQUIRED_FOR_ADMINS=0; by default whenever DEBUG is off.
OTP_REQUIRED_FOR_ADMINS = env_bool("OTP_REQUIRED_FOR_ADMINS", not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "CSP portal")

# Password-reset e-mails asked for, per client address and per e-mail address, within
# a window (csp_portal/password_reset.py): more are refused and send nothing.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env_int("PASSWORD_RESET_LIMIT_PER_ADDRESS", 5)
PASSWORD_RESET_LIMIT_PER_EMAIL = env_int("PASSWORD_RESET_LIMIT_PER_EMAIL", 3)
PASSWORD_RESET_WINDOW_MINUTES = env_int("PASSWORD_RESET_WINDOW_MINUTES", 60)

# Behind a reverse proxy: how many proxies (each appending to X-Forwarded-For) stand
# between the client and the portal. 0 (the default) ignores the header.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", env_int("AXES_PROXY_COUNT", 0))

# Background tasks (pack building, imports, e-mail) run outside the web request, in a
# worker: `python manage.py run_worker` (started beside the server by `make run`).
# "database" (the default: PostgreSQL or SQLite, nothing else to run), "rq" (Redis; the
# default when REDIS_URL is set) or "immediate" (inside the request: tests, debugging).
TASKS_BACKEND = env_str("TASKS_BACKEND", "rq" if REDIS_URL else "database")
if TASKS_BACKEND not in {"database", "rq", "immediate"}:
    raise ImproperlyConfigured("TASKS_BACKEND must be database, rq or immediate.")
if TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # A pack of several hundred pages takes a minute; an hour is the limit of any task.
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "rq": "django_tasks_rq.RQBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[TASKS_BACKEND],
        "QUEUES": ["default"],
    }
}
# The daily reminders and clean-up (csp_portal/daily.py): each worker's clock queues them
# once a day from this hour (local time); -1 turns the clocks off (cron runs
# `manage.py send_reminders` and `manage.py clean_up` instead).
DAILY_TASKS_HOUR = env_int("DAILY_TASKS_HOUR", 7)

# Failed-login throttling: five failures for one username from one address lock that
# pair for 15 minutes (a council's password-reset desk can unlock sooner with
# axes_reset); the address is the client's as the trusted proxies report it, so failures
# from elsewhere never lock the real user out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "csp_portal.client_address.client_ip"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # plotly.js comes from the pip-installed plotly package: no CDN, no vendored copy
    # (found without importing plotly, which every process would then pay for).
    ("plotly", Path(str(getattr(find_spec("plotly"), "origin", ""))).parent / "package_data"),
]
# Uploaded papers, attachments and strategic assessments: outside every static path,
# served only through views that check who is asking.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000  # a 12 x 40 entry grid posts ~600 fields
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

# Where uploads, kept import files and frozen packs are stored: every read and write goes
# through Django's storage API (default_storage, FileFields), so several servers and the
# workers share them. "filesystem" (the default): MEDIA_ROOT, which several servers must
# share (NFS). "s3": an S3-compatible bucket through django-storages (boto3), private,
# served only through the portal's views; docs/operations.md lists the settings.
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "filesystem")
DEFAULT_STORAGE: dict[str, Any]
if STORAGE_BACKEND == "filesystem":
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif STORAGE_BACKEND == "s3":
    if not env_str("AWS_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME.")
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            # e.g. https://s3.eu-west-2.amazonaws.com, or a MinIO/Ceph/Garage address
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            # Unset: boto3's own chain (instance role, ~/.aws, AWS_* of the environment).
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "location": env_str("AWS_LOCATION", ""),  # a prefix inside the bucket
            "default_acl": None,  # the bucket's own policy: keep the bucket private
            "querystring_auth": True,  # nothing in the bucket is public
            "file_overwrite": False,  # a name in use gets a suffix, as on disk
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,  # "path": MinIO
        },
    }
else:
    raise ImproperlyConfigured("STORAGE_BACKEND must be filesystem or s3.")

STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Widgets render through the project's templates, so templates/django/forms/widgets/
# can replace one of Django's (select.html: the same markup, rendered faster).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console in development, sent by SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CSP portal <csp-portal@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER_ENABLED=1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER_ENABLED", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy: every script and stylesheet is our own. Plotly sets inline
# styles on the SVG it draws, so styles allow 'unsafe-inline'; scripts never do.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Permissions-Policy: none of these browser features is used by any page.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "xr-spatial-tracking",
    )
}

# The address the portal is reached at, e.g. https://csp.example.org: e-mails (bid
# notifications, password resets) link to it absolutely.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": env_str("AXES_LOG_LEVEL", "WARNING")},
    },
}

# What load_demo loads after the shared core, in dependency order: each app's loader
# reads its own files under fixtures/demo/<app>/.
DEMO_LOADERS = [
    "performance.demo.load",
    "performance.county_demo.load",
    "plans.demo.load",
    "plans.agreement_demo.load",
    "funding.demo.load",
    "meetings.demo.load",
]
