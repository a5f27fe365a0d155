import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for their live server; production never has it.
    unwanted = {"DEBUG", "SECRET_KEY", "COMMONROOM_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in unwanted}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="commonroom.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_missing_secret_key_stops_production_start_up():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_missing_migrations_can_be_checked_without_production_settings():
    result = _manage("makemigrations", "--check", "--dry-run", DEBUG="false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_a_bad_boolean_stops_start_up_loudly():
    result = _manage("check", DEBUG="perhaps")
    assert result.returncode != 0 and "DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize(
    ("reader", "value", "message"),
    [
        (lambda: env_bool("X_FLAG", False), "maybe", "true or false"),
        (lambda: env_int("X_NUMBER", 1), "ten", "whole number"),
        (lambda: env_int("X_NUMBER", 1, minimum=5), "2", "at least 5"),
    ],
)
def test_strict_readers_fail_loudly(monkeypatch, reader, value, message):
    monkeypatch.setenv("X_FLAG", value)
    monkeypatch.setenv("X_NUMBER", value)
    with pytest.raises(ImproperlyConfigured, match=message):
        reader()


def test_readers_parse_good_values(monkeypatch):
    monkeypatch.setenv("X_FLAG", "Yes")
    monkeypatch.setenv("X_NUMBER", "42")
    monkeypatch.setenv("X_LIST", "a.example, b.example,,")
    assert env_bool("X_FLAG", False) is True
    assert env_int("X_NUMBER", 1) == 42
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    assert env_str("X_MISSING", "default") == "default"
    with pytest.raises(ImproperlyConfigured):
        env_str("X_MISSING", required=True)


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ")}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert directives["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_templates_have_no_inline_script(client):
    import re

    body = client.get("/accounts/login/").content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", body, re.S)
    assert scripts and all("src=" in attrs and not content.strip() for attrs, content in scripts)


def test_hsts_and_secure_cookies_in_production():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT)"
    )
    result = _manage("shell", "-c", code, DEBUG="false", SECRET_KEY=secrets.token_urlsafe(60))
    assert result.stdout.strip().splitlines()[-1].split() == ["31536000", "True", "True", "True"], result.stderr


def test_sessions_have_an_idle_and_an_absolute_limit(settings):
    assert 0 < settings.SESSION_IDLE_SECONDS < settings.SESSION_COOKIE_AGE <= 24 * 60 * 60
