"""The stack for ``tests/stack``: started once per test run, torn down at the end.

It needs PostgreSQL, Redis and Mosquitto (``DATABASE_URL``, ``REDIS_URL``,
``MQTT_URL``) and root to listen on port 443 of a loopback address. Without them
it skips and says why; with ``REQUIRE_SERVICES=1`` that is a failure.
"""

import os
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import _service_url, service_missing
from tests.notifications.push_service import LocalPushService
from tests.stack.harness import ROOT, Browser, LockerKeypad, MailSink, Stack

SETUP_SCRIPT = (Path(__file__).parent / "setup_script.py").read_text()
# The stack's own Redis database, so its cache and queue never meet the other tests'.
STACK_REDIS_DB = os.environ.get("STACK_REDIS_DB", "15")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/stack/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.stack)


@pytest.fixture(scope="session")
def push_service():
    service = LocalPushService().start()
    yield service
    service.stop()


@pytest.fixture(scope="session")
def mail_sink():
    sink = MailSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def stack(request, tmp_path_factory, push_service, mail_sink):
    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith("postgres"):
        service_missing("the stack test needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test")
    redis = urlsplit(_service_url("REDIS_URL", 6379, "redis://127.0.0.1:6379/0", "Redis"))
    mqtt = _service_url("MQTT_URL", 1883, "mqtt://127.0.0.1:1883", "an MQTT broker")
    if hasattr(os, "geteuid") and os.geteuid() != 0:
        service_missing("the stack test listens on port 443 of a loopback address, which needs root")
    workdir = tmp_path_factory.mktemp("stack")
    stack = Stack(
        database_server=database,
        redis_url=urlunsplit((redis.scheme, redis.netloc, f"/{STACK_REDIS_DB}", "", "")),
        mqtt_url=mqtt,
        push_ca_file=push_service.cert_path,
        mail_port=mail_sink.port,
        workdir=workdir,
    )
    try:
        stack.facts = stack.up(SETUP_SCRIPT)
        yield stack
    finally:
        stack.down()
        if request.session.testsfailed:
            kept = ROOT / "var" / f"stack-logs-{stack.name}"
            shutil.copytree(workdir, kept, ignore=shutil.ignore_patterns("static", "media"))
            sys.stderr.write(f"\nThe stack's logs are in {kept}\n")


@pytest.fixture(scope="session")
def keypad(stack):
    hands = LockerKeypad(stack.mqtt_url, stack.topic_prefix, stack.facts["controller"])
    yield hands
    hands.close()


@pytest.fixture
def browser(stack):
    """A new visitor: its own cookies."""
    return Browser(stack.site_url, stack.certificate)
