"""One settings module, configured by environment variables (12-factor).

Defaults run the platform embedded: SQLite under var/, local media files,
Celery on a SQLite broker, emails printed to the console.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("CONVERGENCE_VAR_DIR", PROJECT_DIR / "var"))


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG", False)
# Demo mode allows the demo accounts and the shifted call dates. Never in production.
DEMO_MODE = envbool("CONVERGENCE_DEMO", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or DEMO_MODE):
        raise RuntimeError("DJANGO_SECRET_KEY must be set outside debug and demo mode.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "axes",
    "convergence.core",
    "convergence.web",
    "convergence.accounts",
    "convergence.calls",
    "convergence.applications",
    "convergence.review",
    "convergence.labels",
    "convergence.execution",
    "convergence.competitions",
    "convergence.insights",
]

# Later stages add panels to the applicant's dossier page without the applications app importing them.
APPLICATION_PANELS = ["convergence.review.panels.decision_panel", "convergence.labels.panels.label_panel"]
# Sections that later stages add to a labelled challenge's public page.
CATALOGUE_PANELS = [
    "convergence.execution.panels.catalogue_results_panel",
    "convergence.insights.panels.similar_catalogue_panel",
]
# How the assignment reads affinity from the texts, by the selection's choice (review/affinity.py).
REVIEW_AFFINITY_MODELS = {
    "tfidf": os.environ.get("REVIEW_AFFINITY_MODEL", "convergence.review.affinity.TfidfAffinity"),
    "embeddings": "convergence.insights.similarity.EmbeddingAffinity",
}
# What later stages add to the committee's meeting page (probable duplicates among the dossiers).
MEETING_PANELS = ["convergence.insights.panels.meeting_duplicates_panel"]
# What later stages add to a catalogue search (challenges close in meaning to the query).
CATALOGUE_SEARCH_PANELS = ["convergence.insights.panels.related_in_catalogue_panel"]
BACKOFFICE_SEARCH_PANELS = ["convergence.insights.panels.related_in_call_panel"]
# What later stages add under the themes of a dossier's first step (the themes the text suggests).
THEMES_FIELD_PANELS = ["convergence.insights.panels.theme_suggestions_panel"]
# Sections that later stages add to a dossier's page for organisers and committee members.
READER_PANELS = [
    "convergence.review.panels.instruction_panel",
    "convergence.insights.panels.similar_dossier_panel",
]
# Sections that later stages add to the carrier's label page.
LABEL_PANELS = ["convergence.execution.panels.label_reports_panel"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "convergence.web.middleware.RejectNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, as django-axes requires, so that it sees the authentication outcome.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "convergence.urls"
WSGI_APPLICATION = "convergence.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # Not django-dsfr's site_config: our templates carry their own header and footer, and it cost
                # two queries on every page.
                "convergence.web.context_processors.platform",
            ],
        },
    },
]
FORM_RENDERER = "dsfr.forms.DsfrDjangoTemplates"

# Content Security Policy: scripts and styles come from our own static files only: no inline script or style, no
# CDN, no nonce needed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'convergence.sqlite3'}"),
        # Persistent connections: a request does not pay a new connection (and its TLS) each time.
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
database_engine = DATABASES["default"]["ENGINE"]
if database_engine == "django.db.backends.sqlite3":
    # Several server processes and the worker share the file: WAL lets readers go on while one writes,
    # a write transaction takes the lock at BEGIN (no deadlock on upgrade), and a writer waits for the
    # lock instead of failing. synchronous stays FULL: a receipt given is on disk.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=envint("SQLITE_BUSY_TIMEOUT_SECONDS", 30),
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    )
elif database_engine == "django.db.backends.postgresql" and envbool("DATABASE_PREPARED_STATEMENTS", True):
    # Parameters sent apart from the SQL let PostgreSQL keep the plan of a statement that a connection runs
    # again and again (psycopg prepares it at its 5th run): a submit then costs the database a fifth to two
    # fifths less CPU (README, Benchmarks). Turn off behind a pooler that cannot keep prepared statements
    # (PgBouncer in transaction mode without max_prepared_statements).
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2id first (OWASP); the others only read hashes made before it, which are upgraded at the next login.
PASSWORD_HASHERS = [
    "convergence.accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "applications:mine"
SITE_ID = 1

# django-allauth: email is the login; the address must be verified before use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_ADAPTER = "convergence.accounts.adapter.AccountAdapter"

# django-axes: lock an email+IP pair after repeated failures, for both the pages and the API.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "convergence.accounts.security.username_from_credentials"
AXES_LOCKOUT_CALLABLE = "convergence.accounts.security.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = envbool("AXES_ENABLED", True)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": os.environ.get("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if envbool("STATIC_COMPRESS", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage":
    STORAGES["default"]["OPTIONS"] = {  # type: ignore[assignment]
        "bucket_name": os.environ.get("S3_BUCKET", ""),
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        "default_acl": "private",
        "querystring_auth": True,
    }
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# The cache is shared by the server's processes: files under var/ by default, Redis with CACHE_URL=redis://…
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    # Pages go on without Redis when it cannot be reached (reads miss, writes are dropped); a Redis that does not
    # answer within a second counts as unreachable rather than holding requests.
    "default": {
        "BACKEND": "convergence.core.cache.FailSafeRedisCache",
        "LOCATION": CACHE_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if CACHE_URL.startswith(("redis://", "rediss://"))
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
# Public pages read on deadline night (catalogue, open data, the call) are rebuilt on change, or after this long.
PUBLIC_CACHE_SECONDS = envint("PUBLIC_CACHE_SECONDS", 600)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Convergence <noreply@convergence.localhost>")
# Who runs this instance: named in the legal notice, the personal-data page and the accessibility statement.
PUBLISHER_NAME = os.environ.get("PUBLISHER_NAME", "Direction interministérielle du numérique (DINUM)")
CONTACT_EMAIL = os.environ.get("CONTACT_EMAIL", "contact@convergence.localhost")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}")
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# After this long without its e-mail, a receipt is queued again (longer than the worker's backlog on deadline night
# and than send_receipt_email's retries).
RECEIPT_RESEND_AFTER_SECONDS = envint("RECEIPT_RESEND_AFTER_SECONDS", 900)
# The receipts of the submits a web process commits within this window go to the worker in one message
# (core/queueing.py): a fraction of a second later by e-mail, a tenth less CPU per submit on deadline night.
QUEUE_COALESCE_SECONDS = envint("QUEUE_COALESCE_MILLISECONDS", 250) / 1000
# Scoring (built-in metrics and sandboxed programs) has a queue of its own, so that compute workers on other
# machines take it (`celery -A convergence worker -Q scoring`) and e-mails never wait behind a long run.
SCORING_QUEUE = os.environ.get("SCORING_QUEUE", "scoring")
CELERY_TASK_ROUTES = {
    "convergence.competitions.tasks.score_submission": {"queue": SCORING_QUEUE},
    "convergence.competitions.tasks.check_solution": {"queue": SCORING_QUEUE},
}
# Periodic work (run by `celery worker -B` in the embedded default, or a separate `celery beat`).
CELERY_BEAT_SCHEDULE = {
    "milestone-reminders": {
        "task": "convergence.execution.tasks.send_milestone_reminders",
        "schedule": envint("REMINDER_INTERVAL_SECONDS", 900),
    },
    # A receipt whose message never reached the broker, or whose e-mail failed every retry, is queued again.
    "unsent-receipts": {
        "task": "convergence.applications.tasks.send_unsent_receipts",
        "schedule": envint("RECEIPT_SWEEP_SECONDS", 300),
    },
    # A task whose message the broker refused after its change was committed (core/queueing.py) is published again.
    "pending-tasks": {
        "task": "convergence.core.tasks.publish_pending_tasks",
        "schedule": envint("PENDING_TASKS_SWEEP_SECONDS", 60),
    },
    "stale-submissions": {
        "task": "convergence.competitions.tasks.requeue_stale_submissions",
        "schedule": envint("SCORING_SWEEP_SECONDS", 300),
    },
    # Embeds the texts that changed since (dossiers, labelled challenges, members' expertise): off the request,
    # and off the submission path on deadline night.
    "embed-texts": {
        "task": "convergence.insights.tasks.embed_changed_texts",
        "schedule": envint("TRIAGE_EMBED_SECONDS", 120),
    },
}
# The text model of triage (insights/similarity.py): `use` (multilingual sentence embeddings), `tfidf`, or a
# dotted path to a class of the same shape. Pairs at or above the threshold are shown as probable duplicates.
TRIAGE_TEXT_MODEL = os.environ.get("TRIAGE_TEXT_MODEL", "use")
TRIAGE_DUPLICATE_THRESHOLD = float(os.environ.get("TRIAGE_DUPLICATE_THRESHOLD", "0.65"))
TRIAGE_MODEL_THREADS = envint("TRIAGE_MODEL_THREADS", len(os.sched_getaffinity(0)))
# A missed-milestone reminder goes out within this many days of the due date, never for old editions.
REMINDER_MISSED_GRACE_DAYS = envint("REMINDER_MISSED_GRACE_DAYS", 3)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "convergence.web.api_errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Convergence API",
    "DESCRIPTION": "Calls for AI challenges, applications and their receipts.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # A PATCH body is the input as the server reads it (a dossier's `version` is required), not all-optional.
    "COMPONENT_SPLIT_PATCH": False,
    # Swagger UI served from our own static files: the docs work without a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrganisationTypeEnum": "convergence.applications.models.OrganisationType",
        "ApplicationStatusEnum": "convergence.applications.models.Application.Status",
        "ReviewStatusEnum": "convergence.review.models.Review.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "convergence.web.api_schema.add_refusals",
    ],
}

SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not (DEBUG or DEMO_MODE))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", False) else None
X_FRAME_OPTIONS = "DENY"

# Email domains shared by unrelated people (beyond public providers): never a sign of a conflict of interest.
CONFLICT_SHARED_EMAIL_DOMAINS = envlist("CONFLICT_SHARED_EMAIL_DOMAINS", "") + (["demo.test"] if DEMO_MODE else [])

# Labels: the Ed25519 key that signs certificates. Outside demo and debug mode it must exist (label_signing_key).
LABEL_SIGNING_KEY_FILE = os.environ.get("LABEL_SIGNING_KEY_FILE", str(VAR_DIR / "label-signing-key.pem"))
LABEL_ISSUER = os.environ.get("LABEL_ISSUER", "Convergence")
KIT_FILE_MAX_BYTES = envint("KIT_FILE_MAX_BYTES", 50 * 1024 * 1024)

# Competitions: daily submission limits reset at midnight in this zone; scoring limits.
COMPETITION_TIME_ZONE = os.environ.get("COMPETITION_TIME_ZONE", "Europe/Paris")
COMPETITION_SUBMISSION_MAX_BYTES = envint("COMPETITION_SUBMISSION_MAX_BYTES", 100 * 1024 * 1024)
SCORING_TIME_LIMIT_SECONDS = envint("SCORING_TIME_LIMIT_SECONDS", 300)
SCORING_MAX_ATTEMPTS = envint("SCORING_MAX_ATTEMPTS", 3)
# Scoring programs and participants' code run in bubblewrap (competitions/sandbox.py) with these limits.
SANDBOX_MEMORY_BYTES = envint("SANDBOX_MEMORY_BYTES", 2 * 1024**3)
SANDBOX_RUNNER = os.environ.get("SANDBOX_RUNNER", "convergence.competitions.sandbox.run_sandboxed")
COMPETITION_BUNDLE_MAX_BYTES = envint("COMPETITION_BUNDLE_MAX_BYTES", 500 * 1024 * 1024)
COMPETITION_LOGO_MAX_BYTES = envint("COMPETITION_LOGO_MAX_BYTES", 2 * 1024 * 1024)

# Application rules that are the platform's, not a call's.
ATTACHMENT_MAX_BYTES = envint("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = envint("ATTACHMENT_MAX_COUNT", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
