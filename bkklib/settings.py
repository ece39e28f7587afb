"""Django settings for bkklib, read from the environment (docs/architecture.md: Stack, Runtime).

Embedded mode (no environment at all): SQLite in WAL mode under ``var/``, huey on SQLite,
local-memory cache. Production: ``DATABASE_URL`` to PostgreSQL, ``REDIS_URL`` for cache and
huey, ``DEBUG=0``, ``SECRET_KEY`` and ``ALLOWED_HOSTS`` set; see docs/admin/.
"""
import secrets
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env("BKKLIB_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

TESTING = "pytest" in sys.modules or env.bool("BKKLIB_TESTING", default=False)
DEBUG = env.bool("DEBUG", default=False)


def _secret_key() -> str:
    """Return SECRET_KEY from the environment, or a random one kept in var/ (embedded mode only).

    With DEBUG off (production) a missing SECRET_KEY stops the start: a key invented on one host
    would differ on the next one and silently break sessions and signed links.
    """
    if key := env("SECRET_KEY", default=""):
        return key
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG off (production) bkklib does not start without it: "
            "put a long random SECRET_KEY in the environment file (see docs/admin/README.md; "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))' makes one), "
            "or set DEBUG=1 for the embedded mode (make run)."
        )
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
# Keys of personal data and credentials at rest (core/crypto.py): newest first; older ones still decrypt
# (rotation). Unset: derived from SECRET_KEY, which then must never change (docs/admin/security.md).
DATA_KEYS = env.list("BKKLIB_DATA_KEYS", default=[])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "simple_history",
    "huey.contrib.djhuey",
    # bkklib apps, lowest first (the order seed_demo follows).
    "bkklib.core",
    "bkklib.network",
    "bkklib.search",
    "bkklib.catalog",
    "bkklib.circulation",
    "bkklib.opac",
    "bkklib.interop",  # standard protocols: SIP2, SRU, OAI-PMH, copy cataloguing
    "bkklib.migration",  # migration from ULibM and Koha: a command, no pages
    "bkklib.events",  # festivals, reading-promotion projects, activities, registration (issue 21)
    "bkklib.spaces",  # co-working desks, rooms and venues: rules, bookings, check-in
    "bkklib.elibrary",  # e-books and audiobooks, licences, e-loans, OPDS (above opac and circulation)
    "bkklib.outreach",  # mobile libraries, routes, stops, deposit collections, the offline volunteer desk (issue 22)
    "bkklib.acquisitions",  # funds per fiscal year, vendors, suggestions, orders, receiving, donations (issue 23)
    "bkklib.volunteers",  # recruitment, applications, agreements, shifts and hours, evaluation, welfare (issue 24)
    "bkklib.facilities",  # buildings, Universal Design audits, improvement works, tree survey (issue 25)
    "bkklib.cases",  # cases with deadline clocks: field visits, audit findings, the GECC service desk (issue 26)
    "bkklib.comms",  # social-media content calendar, approval, channel publishing, reach (issue 27)
    "bkklib.reports",  # indicator aggregates, the executive dashboard, standard reports, open data (issue 29)
    "bkklib.staff",  # the staff shell: log-in, desk, home (shows every app's menu module)
]

MIDDLEWARE = [
    # Observability first (docs/admin/deploy.md): latency of everything below, the request id and
    # log line, then /healthz, /readyz and /metrics answered before host checks, sessions and auth.
    "bkklib.core.metrics.MetricsMiddleware",
    "bkklib.core.logs.RequestLogMiddleware",
    "bkklib.core.health.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bkklib.core.stamps.StampMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "bkklib.core.middleware.ThaiFirstLocaleMiddleware",
    "bkklib.core.middleware.QueryStringGuardMiddleware",  # NUL in a query string: 400, never 500
    "bkklib.core.middleware.ApiProblemMiddleware",  # /api/: unknown URL and crash as problem JSON
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "bkklib.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "bkklib.urls"
WSGI_APPLICATION = "bkklib.wsgi.application"
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["bkklib.core.auth.CachedModelBackend"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "bkklib" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bkklib.core.context_processors.bkklib",
                "bkklib.staff.context_processors.desk",
                "bkklib.staff.context_processors.nav",
            ],
            "builtins": ["bkklib.core.templatetags.thaidate"],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bkklib.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
            # BEGIN so two writers queue on busy_timeout instead of failing mid-transaction.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    )
else:
    # No JIT compilation: a library's queries are short, and at a million records the planner's cost
    # estimates of full-text queries pass jit_above_cost, so PostgreSQL spent 50-500 ms compiling a
    # query that runs in a few (docs/performance.md, "Search").
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    if TESTING:
        # A test database is thrown away: no commit waits for its WAL flush (transactional tests commit
        # often). Never in production, where a commit must survive a crash.
        DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"
    # Tests run threads (huey workers, concurrent desks) whose connections must not outlive them.
    DATABASES["default"].setdefault("CONN_MAX_AGE", 0 if TESTING else env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if test_name := env("BKKLIB_TEST_DB_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": test_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and background work ----------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    # CACHE_KEY_PREFIX: two installations (or a test run) sharing one Redis database keep apart.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="")}}
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env("HUEY_NAME", default="bkklib"),
        "url": REDIS_URL,
        "immediate": env.bool("HUEY_IMMEDIATE", default=TESTING),
        # Periodic tasks run on Bangkok time (Django sets the process's TZ to TIME_ZONE): "07:00" means 07:00 here.
        "utc": False,
        "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "bkklib",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": env.bool("HUEY_IMMEDIATE", default=TESTING),
        # Periodic tasks run on Bangkok time (Django sets the process's TZ to TIME_ZONE): "07:00" means 07:00 here.
        "utc": False,
        "consumer": {"workers": env.int("HUEY_WORKERS", default=2), "worker_type": "thread"},
    }

# --- Language, time ----------------------------------------------------------------------------
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
# core's catalogue also overrides the partial Thai of DRF and Django for API messages (core/drf_messages.py).
LOCALE_PATHS = [BASE_DIR / "bkklib" / "locale", BASE_DIR / "bkklib" / "core" / "locale"]
LANGUAGE_COOKIE_NAME = "bkklib_language"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# --- Auth --------------------------------------------------------------------------------------
LOGIN_URL = "staff-login"
LOGIN_REDIRECT_URL = "staff-home"
LOGOUT_REDIRECT_URL = "staff-login"
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Email and notification channels ----------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="bkklib <noreply@library.bangkok.example>")
LINE_CHANNEL_ACCESS_TOKEN = env("LINE_CHANNEL_ACCESS_TOKEN", default="")
LINE_API_BASE = env("LINE_API_BASE", default="https://api.line.me")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")

# --- REST API (docs/api/README.md) --------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "bkklib.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["bkklib.core.api.FilterBackend"],  # django-filter, strict booleans
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "bkklib.core.api.problem_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "bkklib API",
    "DESCRIPTION": "REST API of bkklib, the BMA public-library network system.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc from the sidecar's static files, never a CDN: the site must work on a
    # closed network (docs/architecture.md, Runtime).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Stable names for the two choice sets whose field names other models share (no W001 in check --deploy).
    "ENUM_NAME_OVERRIDES": {
        "BranchKindEnum": "bkklib.network.models.Branch.Kind",
        "BranchStatusEnum": "bkklib.network.models.Branch.Status",
        "CaseKindEnum": "bkklib.cases.models.Case.Kind",
        "CaseStateEnum": "bkklib.cases.models.Case.State",
        "CaseChannelEnum": "bkklib.cases.models.Case.Channel",
        "ClockUnitEnum": "bkklib.cases.models.ClockUnit",
        "SyncActionKindEnum": "bkklib.outreach.models.SyncAction.Kind",
        "SyncActionStatusEnum": "bkklib.outreach.models.SyncAction.Status",
        "WorkStatusEnum": "bkklib.facilities.models.Work.Status",
    },
}

# --- bkklib ------------------------------------------------------------------------------------
BKKLIB = {
    # How many proxies of our own (nginx: 1) stand in front of the application; only they are
    # believed about the client address in X-Forwarded-For (sign-in rate limits). 0: REMOTE_ADDR.
    "TRUSTED_PROXIES": env.int("BKKLIB_TRUSTED_PROXIES", default=0),
    # A branch's basic data is stale this many days after its last verification.
    "STALE_AFTER_DAYS": env.int("BKKLIB_STALE_AFTER_DAYS", default=90),
    # Loan history is anonymised this many days after return unless the patron opted in.
    "ANONYMISE_AFTER_DAYS": env.int("BKKLIB_ANONYMISE_AFTER_DAYS", default=30),
    "SITE_URL": env("BKKLIB_SITE_URL", default="http://127.0.0.1:8000"),
    # Searches per client address and minute, on the results page and GET /api/v1/records/.
    "SEARCH_PER_MINUTE": env.int("BKKLIB_SEARCH_PER_MINUTE", default=120),
    # Scheduled backups (core.tasks.scheduled_backup, docs/admin/backup.md): the folder (empty: none),
    # how many to keep, and when the huey consumer makes them (Bangkok time).
    "BACKUP_DIR": env("BKKLIB_BACKUP_DIR", default=""),
    "BACKUP_KEEP": env.int("BKKLIB_BACKUP_KEEP", default=14),
    "BACKUP_HOUR": env.int("BKKLIB_BACKUP_HOUR", default=1),
    "BACKUP_MINUTE": env.int("BKKLIB_BACKUP_MINUTE", default=30),
}

# e-Library (docs/admin/elibrary.md): upload limit, e-lending defaults when no row of limits exists.
ELIBRARY = {
    "MAX_UPLOAD_BYTES": env.int("BKKLIB_ELIBRARY_MAX_UPLOAD_MB", default=500) * 1024 * 1024,
    "LOAN_DAYS": env.int("BKKLIB_ELIBRARY_LOAN_DAYS", default=14),
    "MAX_LOANS": env.int("BKKLIB_ELIBRARY_MAX_LOANS", default=5),
    "MAX_HOLDS": env.int("BKKLIB_ELIBRARY_MAX_HOLDS", default=5),
    "ANONYMISE_AFTER_DAYS": env.int("BKKLIB_ELIBRARY_ANONYMISE_AFTER_DAYS", default=30),
    # OPDS publication feeds read without credentials are the same for everyone: kept this long (0: never).
    "FEED_CACHE_SECONDS": env.int("BKKLIB_ELIBRARY_FEED_CACHE_SECONDS", default=30),
}

# --- Security (docs/admin/security.md) ----------------------------------------------------------
# The production profile is DEBUG=0, SECRET_KEY, ALLOWED_HOSTS and BKKLIB_HTTPS=1 (the site is
# served over HTTPS by the reverse proxy): then `manage.py check --deploy` is clean
# (tests/security/test_deploy_check.py). BKKLIB_HTTPS=0 is for a closed network without
# certificates, where browsers would drop secure cookies.
HTTPS = env.bool("BKKLIB_HTTPS", default=False)
if HTTPS or BKKLIB["TRUSTED_PROXIES"]:
    # Our proxy terminates TLS and says so in X-Forwarded-Proto (nginx: proxy_set_header); only
    # believed when the operator says a proxy of their own stands in front (like X-Forwarded-For).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if HTTPS:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # Health, readiness and metrics answer the proxy and the orchestrator over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^(health|healthz|ready|readyz|metrics)/?$"]
# A form sent with an expired CSRF token gets the site's own (Thai) page, not Django's English one.
CSRF_FAILURE_VIEW = "bkklib.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no inline
# script, no eval, no framing. The Django admin and Swagger UI keep inline *styles*
# (core.middleware.CspStyleExceptions); no page allows inline scripts.
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1, "csp.middleware.CSPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1, "bkklib.core.middleware.CspStyleExceptions")


# Error pages that load no static file (rendered when the database or the templates' context broke).
SELF_CONTAINED_PAGES = ("500.html", "503.html")


def _inline_hashes(tag: str) -> list[str]:
    """CSP hashes of the ``<tag>`` blocks of the self-contained error pages (templates/500.html, 503.html)."""
    import base64
    import hashlib
    import re

    hashes = []
    for name in SELF_CONTAINED_PAGES:
        path = BASE_DIR / "bkklib" / "templates" / name
        html = path.read_text() if path.exists() else ""
        hashes += [f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
                   for body in re.findall(rf"<{tag}>(.*?)</{tag}>", html, flags=re.S)]
    return list(dict.fromkeys(hashes))


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *_inline_hashes("script")],
        "style-src": ["'self'", *_inline_hashes("style")],
        "img-src": ["'self'", "data:", *env.list("BKKLIB_CSP_IMG_SRC", default=[])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
    },
}

# Sessions on shared public-library computers: a patron's session ends after
# BKKLIB_PATRON_IDLE_MINUTES without a request and when the browser closes; a staff session after
# BKKLIB_STAFF_IDLE_MINUTES (core.middleware.IdleSessionExpiry).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 3600  # the hard upper bound of any session (one working day)
PATRON_IDLE_MINUTES = env.int("BKKLIB_PATRON_IDLE_MINUTES", default=10)
STAFF_IDLE_MINUTES = env.int("BKKLIB_STAFF_IDLE_MINUTES", default=60)
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1,
                  "bkklib.core.middleware.IdleSessionExpiry")

# Staff two-factor log-in (django-otp TOTP): each user may enrol on their profile page; with
# BKKLIB_OTP_REQUIRED_FOR_ADMINS=1 superusers and network admins must enrol before working.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE.insert(MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
                  "django_otp.middleware.OTPMiddleware")
MIDDLEWARE.insert(MIDDLEWARE.index("bkklib.core.middleware.IdleSessionExpiry") + 1,
                  "bkklib.staff.twofactor.RequireTwoFactorForAdmins")
OTP_TOTP_ISSUER = env("BKKLIB_OTP_ISSUER", default="bkklib")
OTP_REQUIRED_FOR_ADMINS = env.bool("BKKLIB_OTP_REQUIRED_FOR_ADMINS", default=False)

# Staff passwords: at least 10 characters, not like the user's names, not common (Django's list
# and a Thai one: bkklib/staff/passwords.py), not only digits.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "bkklib.staff.passwords.ThaiCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Logs and metrics (docs/admin/deploy.md) ---------------------------------------------------------
# JSON lines on stdout in production (request id, user id, never names); plain text when debugging.
_production_profile = not DEBUG and not TESTING
_log_format = env("LOG_FORMAT", default="json" if _production_profile else "text")
if _log_format not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text, not {_log_format!r}")
from bkklib.core.logs import logging_config  # noqa: E402  (standard library only: safe before django.setup)

LOGGING = logging_config(level=env("LOG_LEVEL", default="INFO" if _production_profile else "WARNING").upper(),
                         fmt=_log_format)
BKKLIB["METRICS_TOKEN"] = env("BKKLIB_METRICS_TOKEN", default="")
BKKLIB["METRICS_ALLOW"] = env.list("BKKLIB_METRICS_ALLOW", default=[])
BKKLIB["WORKER_METRICS_PORT"] = env.int("BKKLIB_WORKER_METRICS_PORT", default=0)  # the huey worker's /metrics
BKKLIB["WORKER_METRICS_ADDR"] = env("BKKLIB_WORKER_METRICS_ADDR", default="127.0.0.1")

# events: days after a session ends before a guest's name and phone are removed (PDPA retention).
BKKLIB_EVENTS_GUEST_RETENTION_DAYS = env.int("BKKLIB_EVENTS_GUEST_RETENTION_DAYS", default=90)
