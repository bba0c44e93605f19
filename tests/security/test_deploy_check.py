"""Production settings: `manage.py check --deploy --fail-level WARNING` is clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

MANAGE = Path(__file__).resolve().parents[2] / "manage.py"


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"GANSU_TESTING", "DEBUG", "SECRET_KEY"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="gansu_community.settings", **env)
    return subprocess.run(
        [sys.executable, str(MANAGE), *args], env=clean, capture_output=True, text=True, timeout=120
    )


def _production(**overrides: str) -> dict[str, str]:
    env = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "portal.example.gov.cn",
    }
    env.update(overrides)
    return env


def test_deploy_check_passes_with_production_environment():
    result = _run("check", "--deploy", "--fail-level", "WARNING", **_production())
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_with_a_weak_secret_key():
    # Shows the check above can fail: a short key is a deployment warning.
    result = _run("check", "--deploy", "--fail-level", "WARNING", **_production(SECRET_KEY="short"))
    assert result.returncode != 0
    assert "W009" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _production()
    del env["SECRET_KEY"]
    result = _run("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_are_https_only():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG, s.SESSION_COOKIE_AGE)"
    )
    clean = {
        k: v for k, v in os.environ.items() if k not in {"GANSU_TESTING", "DEBUG", "SECRET_KEY"}
    }
    clean.update(DJANGO_SETTINGS_MODULE="gansu_community.settings", **_production())
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=MANAGE.parent,
    )
    assert result.stdout.split() == ["True", "True", "True", "True", "False", "1800"], result.stderr


def test_production_admin_site_needs_a_second_factor_whatever_the_environment_says():
    code = "from django.conf import settings; print(settings.ADMIN_OTP_REQUIRED)"
    result = _run("shell", "-c", code, **_production(OTP_REQUIRED="0", ADMIN_OTP_REQUIRED="0"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True"
    demo = _run("shell", "-c", code, LOCAL_RUN="1", DEBUG="0")
    assert demo.stdout.strip().splitlines()[-1] == "False", demo.stderr
