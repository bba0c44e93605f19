"""Settings read from the environment: production refuses to start unconfigured; make run is local."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, "
    "'ssl': getattr(settings, 'SECURE_SSL_REDIRECT', False), "
    "'secure_cookie': settings.SESSION_COOKIE_SECURE, 'finders': settings.WHITENOISE_USE_FINDERS, "
    "'engine': settings.DATABASES['default']['ENGINE']}))"
)


def probe(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "GANSU_TESTING", "LOCAL_RUN", "ALLOWED_HOSTS"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="gansu_community.settings")
    return subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True)


def test_production_without_a_secret_key_refuses_to_start():
    result = probe()
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_with_a_secret_key_is_https_only():
    result = probe(SECRET_KEY="x" * 60, ALLOWED_HOSTS="shequ.example.gov.cn")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False and values["ssl"] is True and values["secure_cookie"] is True
    assert values["hosts"] == ["shequ.example.gov.cn"]


def test_make_run_is_local_plain_http_without_the_debug_page():
    result = probe(LOCAL_RUN="1")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["debug"] is False
    assert values["ssl"] is False and values["secure_cookie"] is False
    assert values["finders"] is True
    assert values["hosts"] == ["127.0.0.1", "localhost"]


def test_default_database_is_the_sqlite_file():
    env = {"LOCAL_RUN": "1"}
    clean_env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean_env, **env, "DJANGO_SETTINGS_MODULE": "gansu_community.settings"},
        capture_output=True,
        text=True,
    )
    assert json.loads(result.stdout)["engine"] == "django.db.backends.sqlite3"
