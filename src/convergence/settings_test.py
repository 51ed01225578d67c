"""Fast settings for the test suite; DATABASE_URL and CELERY_BROKER_URL still apply."""

import os

os.environ.setdefault("CONVERGENCE_DEMO", "1")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

from convergence.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
SECURE_COOKIES = False
if not CACHE_URL:  # noqa: F405 (with CACHE_URL, the suite runs on that Redis cache, as CI does)
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if "CELERY_BROKER_URL" not in os.environ:
    CELERY_BROKER_URL = f"sqla+sqlite:///{VAR_DIR / 'test-celery-broker.sqlite3'}"  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the concurrency and browser tests use several threads, as production does.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
# Without it whitenoise indexes every static file each time a test client loads the middleware (0.25-0.7 s per
# client); with it, a static file is looked up when asked for, through the same finders.
WHITENOISE_AUTOREFRESH = True
