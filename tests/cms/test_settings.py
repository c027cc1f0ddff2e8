"""Production settings fail loudly and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SECRET_KEY": "k7#Qz!p2Lm9@wX4rT8vB1nY6cF3hJ0sD5gA-eU_iO+lKqZ=RtV",
    "ALLOWED_HOSTS": "go.norderstedt.de",
    "DATABASE_URL": "sqlite:////tmp/norderstedt-deploy-check.sqlite3",
    "SITE_URL": "https://go.norderstedt.de",
    "EMAIL_HOST": "smtp.norderstedt.de",
    "DEFAULT_FROM_EMAIL": "go@norderstedt.de",
    "MEDIA_ROOT": "/tmp/norderstedt-media",
    "TASK_BROKER": "redis",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "TRUSTED_PROXY_COUNT": "1",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The browser tests allow sync ORM calls inside Playwright's loop; a deployment never does.
    ignored = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in ignored}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "cms.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_prints_no_warnings_with_required_variables():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_warns_about_the_orm_task_broker():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "TASK_BROKER"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "cms.W001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_names_every_missing_variable():
    result = _manage("check", env={})
    assert result.returncode != 0
    for name in ("ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_HOST", "SECRET_KEY", "SITE_URL"):
        assert name in result.stderr


def test_production_refuses_an_unencrypted_remote_mqtt_broker_and_missing_tls_files():
    plain = _manage("check", env={**PRODUCTION_ENV, "MQTT_URL": "mqtt://broker.norderstedt.de"})
    assert plain.returncode != 0 and "mqtts://" in plain.stderr
    missing = _manage(
        "check", env={**PRODUCTION_ENV, "MQTT_URL": "mqtts://broker.norderstedt.de", "MQTT_CA_FILE": "/nonexistent.pem"}
    )
    assert missing.returncode != 0 and "MQTT_CA_FILE" in missing.stderr
    local = _manage("check", env={**PRODUCTION_ENV, "MQTT_URL": "mqtt://127.0.0.1:1883"})
    assert local.returncode == 0, local.stderr


def test_production_does_not_route_the_locker_simulator_page():
    probe = (
        "from django.urls import NoReverseMatch, reverse\n"
        "print(reverse('api-academy-courses'))\n"
        "try:\n    print(reverse('locker_bridge:simulator'))\nexcept NoReverseMatch:\n    print('not-routed')\n"
    )
    result = _manage("shell", "-c", probe, env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    # The first line proves the URLconf loaded; the second that the simulator is absent.
    assert result.stdout.split()[-2:] == ["/api/v1/academy/courses/", "not-routed"]


def test_task_queue_retry_exceeds_timeout():
    from django.conf import settings

    assert settings.Q_CLUSTER["retry"] > settings.Q_CLUSTER["timeout"]
    assert 0 < settings.Q_CLUSTER["max_attempts"] < 20


def test_production_refuses_to_start_without_trusted_proxy_count():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "TRUSTED_PROXY_COUNT"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr
    garbled = _manage("check", env={**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "ja"})
    assert garbled.returncode != 0
    assert "number of reverse proxies" in garbled.stderr


def test_trusted_proxy_count_reaches_allauth_and_the_api_throttles():
    probe = (
        "from django.conf import settings\n"
        "print(settings.TRUSTED_PROXY_COUNT, settings.ALLAUTH_TRUSTED_PROXY_COUNT,"
        " settings.REST_FRAMEWORK['NUM_PROXIES'])\n"
    )
    result = _manage("shell", "-c", probe, env={**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "2"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["2", "2", "2"]
