"""Production settings: check --deploy is clean, and a missing secret key stops the start clearly."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR) if hasattr(settings, "BASE_DIR") else Path(__file__).resolve().parents[3]


def production_env(**overrides: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(64)),
        ALLOWED_HOSTS="micro.example.org",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(overrides)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_is_clean_under_production_settings() -> None:
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env())

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_production_settings_refuse_to_load_without_a_secret_key() -> None:
    env = production_env()
    del env["SECRET_KEY"]

    result = run(["-c", "import config.settings.production"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "Set SECRET_KEY to a random value of at least 50 characters for production." in result.stderr


def test_production_settings_refuse_a_short_or_development_key() -> None:
    for key in ("too-short", "dev-only-insecure-key-change-me" + "x" * 40):
        result = run(["-c", "import config.settings.production"], production_env(SECRET_KEY=key))
        assert result.returncode != 0, key
        assert "Set SECRET_KEY" in result.stderr, key


def test_production_settings_refuse_to_load_without_allowed_hosts() -> None:
    env = production_env()
    del env["ALLOWED_HOSTS"]

    result = run(["-c", "import config.settings.production"], env)

    assert result.returncode != 0
    assert "Set ALLOWED_HOSTS" in result.stderr
