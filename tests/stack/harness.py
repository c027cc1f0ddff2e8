"""The production-shaped stack of the stack test, and the peers it talks to.

``Stack`` starts the processes the way production runs them (docs/operations.md):
gunicorn with two workers serving TLS, ``qcluster`` on the Redis broker,
``locker_bridge`` and ``locker_simulator`` over Mosquitto, all with
``cms.settings.production`` on a fresh PostgreSQL database. The test talks to them
only through HTTPS (``Browser``) and MQTT (``LockerKeypad``); e-mails arrive at a
real SMTP server (``MailSink``) and pushes at the RFC 8030 test push service.

gunicorn listens on port 443 of a random loopback address (127.x.y.z), so
``SITE_URL`` is a plain ``https://`` address as in production and Wagtail's Site
record can express it (cms.W003).
"""

import contextlib
import datetime
import email
import email.policy
import json
import os
import random
import re
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_wait(host: str, port: int, *, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening on {host}:{port}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout} s")


def until(condition, *, timeout: float, interval: float = 0.5, what: str = "the condition"):
    """Poll ``condition`` until it returns something truthy; fail with ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        time.sleep(interval)


def loopback_address() -> str:
    """A random address in 127.0.0.0/8 whose port 443 is free (Linux answers on all of them)."""
    for _ in range(20):
        address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
        with socket.socket() as sock:
            try:
                sock.bind((address, 443))
            except OSError:
                continue
        return address
    raise RuntimeError("no loopback address with a free port 443 (binding port 443 needs root)")


# -- PostgreSQL ----------------------------------------------------------------------------------
def _postgres_admin(server_url: str, *statements: str) -> None:
    """Run ``statements`` on the server's ``postgres`` database (outside a transaction)."""
    import psycopg

    parts = urlsplit(server_url)
    admin = urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def postgres_database_create(server_url: str, name: str) -> str:
    """A fresh database on the server of ``server_url``; returns its URL."""
    _postgres_admin(server_url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def postgres_database_drop(server_url: str, name: str) -> None:
    _postgres_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- e-mail --------------------------------------------------------------------------------------
class MailSink:
    """A real SMTP server on loopback (aiosmtpd) that keeps every message it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def start(self) -> "MailSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @staticmethod
    def text(message) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""

    def wait_for(self, *, to: str, containing: str = "", subject: str = "", timeout: float = 30) -> str:
        """The text of the first message to ``to`` whose subject and text contain what is asked."""

        def found():
            with self.lock:
                for message in self.messages:
                    body = self.text(message)
                    if to in message.get("To", "") and containing in body and subject in message.get("Subject", ""):
                        return body
            return None

        return until(found, timeout=timeout, what=f"an e-mail to {to} about {subject or containing!r}")


# -- HTML forms ----------------------------------------------------------------------------------
class _FormParser(HTMLParser):
    """The fields of the forms in a page, with the values a browser would send unchanged."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_multiple = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action", ""), "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._form["fields"].append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form["fields"].append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form["fields"].append((name, ""))
        elif tag == "select" and name:
            self._select = name
            self._select_multiple = "multiple" in attrs
        elif tag == "option" and self._select and "selected" in attrs:
            self._form["fields"].append((self._select, attrs.get("value", "")))

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            name, value = self._form["fields"][-1]
            self._form["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def form_fields(html: str, *, action_contains: str = "", having: str = "") -> list[tuple[str, str]]:
    """The fields of the first form whose action contains ``action_contains`` and that has a field ``having``."""
    for form in forms_of(html):
        names = {name for name, _value in form["fields"]}
        if action_contains in form["action"] and (not having or having in names):
            return list(form["fields"])
    raise AssertionError(f"no form with action {action_contains!r} and field {having!r} in the page")


# -- HTTPS ---------------------------------------------------------------------------------------
class Browser:
    """An HTTPS client with cookies that posts forms as a browser does (CSRF token, Referer)."""

    def __init__(self, site_url: str, ca_file: str):
        self.site_url = site_url
        context = ssl.create_default_context(cafile=ca_file)
        self.client = httpx.Client(base_url=site_url, verify=context, follow_redirects=False, timeout=30)

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.client.get(path, **kwargs)

    def follow(self, path: str) -> httpx.Response:
        response = self.client.get(path)
        for _ in range(10):
            if response.status_code not in (301, 302, 303):
                return response
            response = self.client.get(response.headers["Location"])
        return response

    def post_form(self, path: str, fields, *, referer: str = "") -> httpx.Response:
        data = list(fields.items()) if isinstance(fields, dict) else list(fields)
        if not any(name == "csrfmiddlewaretoken" for name, _value in data):
            data.append(("csrfmiddlewaretoken", self.csrf_token()))
        headers = {"Referer": f"{self.site_url}{referer or path}", "Origin": self.site_url}
        return self.client.post(path, data=_multi(data), headers=headers)

    def csrf_token(self) -> str:
        token = self.client.cookies.get("csrftoken")
        if not token:
            self.client.get("/de/")
            token = self.client.cookies.get("csrftoken")
        assert token, "the portal set no CSRF cookie"
        return token

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if method.upper() not in ("GET", "HEAD") and self.client.cookies.get("csrftoken"):
            headers = {"X-CSRFToken": self.client.cookies["csrftoken"], "Referer": f"{self.site_url}/", **headers}
        return self.client.request(method, path, headers=headers, **kwargs)

    def sign_in_by_code(self, mail: "MailSink", address: str, *, signup: bool) -> None:
        """Passwordless sign-in as a citizen would: address, code from the e-mail, done."""
        start = "/de/konto/signup/" if signup else "/de/konto/login/code/"
        page = self.follow(start)
        assert page.status_code == 200, page.status_code
        response = self.post_form(start, {"email": address})
        assert response.status_code == 302, (response.status_code, response.text[:2000])
        code_page = response.headers["Location"]
        body = mail.wait_for(to=address, containing="Code")
        code = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4}|[A-Z0-9]{6})\s*$", body, re.MULTILINE).group(1)
        response = self.post_form(code_page, {"code": code})
        assert response.status_code == 302, (response.status_code, response.text[:2000])
        assert self.client.cookies.get("sessionid"), "no session after the code"

    def sign_in_staff(self, username: str, password: str) -> None:
        page = self.get("/admin/login/")
        fields = dict(form_fields(page.text, having="username"))
        fields.update(username=username, password=password)
        response = self.post_form("/admin/login/", fields)
        assert response.status_code == 302, (response.status_code, response.text[:2000])


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in pairs:
        data.setdefault(name, []).append(value)
    return data


# -- MQTT ----------------------------------------------------------------------------------------
class LockerKeypad:
    """Hands at the locker: the simulator's control topic (keypad, doors) over Mosquitto, and a
    listener on the controller's event topic."""

    def __init__(self, mqtt_url: str, prefix: str, controller_id: str):
        from paho.mqtt.client import CallbackAPIVersion, Client

        parts = urlsplit(mqtt_url)
        self.topic = f"{prefix}/{controller_id}"
        self.events: list[dict] = []
        self.lock = threading.Lock()
        self.client = Client(CallbackAPIVersion.VERSION2, client_id=f"stack-hands-{secrets.token_hex(4)}")
        self.client.on_message = self._on_message
        self.client.connect(parts.hostname or "127.0.0.1", parts.port or 1883)
        self.client.subscribe(f"{self.topic}/event", qos=1)
        self.client.loop_start()

    def _on_message(self, client, userdata, message):
        try:
            payload = json.loads(message.payload)
        except ValueError:
            return
        with self.lock:
            self.events.append(payload)

    def act(self, **action) -> None:
        self.client.publish(f"{self.topic}/sim", json.dumps(action), qos=1).wait_for_publish(5)

    def event(self, event_type: str, *, after: int = 0, timeout: float = 20) -> dict:
        def found():
            with self.lock:
                for event in self.events[after:]:
                    body = event.get("event", event)
                    if body.get("type") == event_type:
                        return body
            return None

        return until(found, timeout=timeout, what=f"a {event_type} event from the controller")

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


# -- the stack -----------------------------------------------------------------------------------
@dataclass
class Stack:
    database_server: str
    redis_url: str
    mqtt_url: str
    push_ca_file: str
    mail_port: int
    workdir: Path
    name: str = field(default_factory=lambda: f"stack_{secrets.token_hex(4)}")
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def __post_init__(self):
        self.address = loopback_address()
        self.site_url = f"https://{self.address}"
        self.certificate, key = certificate_create(self.workdir, self.address)
        self.key_file = key
        self.database_url = postgres_database_create(self.database_server, self.name)
        self.topic_prefix = f"{self.name}/lockers"
        self.editor_password = secrets.token_urlsafe(16)
        from notifications.services.vapid import vapid_key_pair

        vapid = vapid_key_pair()
        self.env = {
            **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))},
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(60),
            "ALLOWED_HOSTS": self.address,
            "DATABASE_URL": self.database_url,
            "SITE_URL": self.site_url,
            # gunicorn terminates TLS itself: no proxy writes X-Forwarded-For.
            "TRUSTED_PROXY_COUNT": "0",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.mail_port),
            "EMAIL_USE_TLS": "",
            "DEFAULT_FROM_EMAIL": "Norderstedt GO! <go@norderstedt.example>",
            "MEDIA_ROOT": str(self.workdir / "media"),
            "STATIC_ROOT": str(self.workdir / "static"),
            "REDIS_URL": self.redis_url,
            "TASK_BROKER": "redis",
            "Q_CLUSTER_NAME": self.name,
            "MQTT_URL": self.mqtt_url,
            "LOCKER_DRIVER": "mqtt",
            "LOCKER_TOPIC_PREFIX": self.topic_prefix,
            "LOCKER_BRIDGE_CLIENT_ID": f"{self.name}-bridge",
            "VAPID_PUBLIC_KEY": vapid["public_key"],
            "VAPID_PRIVATE_KEY": vapid["private_key"],
            "PUSH_WEBPUSH_CA_BUNDLE": self.push_ca_file,
            # The test push service listens on loopback, which production refuses (docs/notifications.md).
            "PUSH_ENDPOINT_LOCAL_HOSTS": "127.0.0.1",
            "STACK_EDITOR_PASSWORD": self.editor_password,
        }

    def log(self, name: str) -> Path:
        return self.workdir / f"{name}.log"

    def manage(self, *args: str, timeout: float = 1800) -> str:
        """A management command as an operator runs it (deploy steps, never a journey)."""
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self, name: str, command: list[str]) -> subprocess.Popen:
        log = self.log(name).open("w")
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def up(self, setup_script: str) -> dict:
        """Deploy and start everything; returns what the setup script printed (ids of demo content)."""
        static = subprocess.Popen(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.manage("migrate", "--noinput", "-v0")
        self.manage("seed_demo")
        facts = json.loads(self.manage("shell", "-c", setup_script).strip().splitlines()[-1])
        _, errors = static.communicate(timeout=600)
        if static.returncode:
            raise RuntimeError(f"collectstatic failed: {errors}")
        gunicorn = [
            PYTHON, "-m", "gunicorn", "cms.wsgi:application",
            "--workers", "2", "--bind", f"{self.address}:443",
            "--certfile", self.certificate, "--keyfile", self.key_file,
            "--access-logfile", "-", "--graceful-timeout", "5", "--no-control-socket",
        ]  # fmt: skip
        web = self.start("gunicorn", gunicorn)
        self.start("qcluster", [PYTHON, "manage.py", "qcluster"])
        self.start("locker_bridge", [PYTHON, "manage.py", "locker_bridge"])
        self.start(
            "locker_simulator",
            [
                PYTHON, "manage.py", "locker_simulator", "--controller", facts["controller"],
                "--compartments", str(facts["compartments"]), "--occupied",
                "--state-file", str(self.workdir / "controller.json"), "--heartbeat", "5",
            ],
        )  # fmt: skip
        port_wait(self.address, 443, timeout=120, process=web)
        self.ready(web)
        return facts

    def ready(self, web: subprocess.Popen, timeout: float = 300) -> None:
        """gunicorn listens before its workers have loaded Django: wait for a real answer."""
        context = ssl.create_default_context(cafile=self.certificate)

        def answers():
            if web.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {web.returncode}; see {self.log('gunicorn')}")
            try:
                return httpx.get(f"{self.site_url}/robots.txt", verify=context, timeout=10).status_code == 200
            except httpx.HTTPError:
                return False

        until(answers, timeout=timeout, interval=1, what="gunicorn answering")

    def down(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        postgres_database_drop(self.database_server, self.name)


def certificate_create(directory: Path, address: str) -> tuple[str, str]:
    """A self-signed certificate for ``address`` (the test trusts exactly this one)."""
    from tests.notifications.push_service import self_signed_certificate

    return self_signed_certificate(str(directory), hosts=(address,))


def berlin_now() -> datetime.datetime:
    from zoneinfo import ZoneInfo

    return datetime.datetime.now(ZoneInfo("Europe/Berlin"))
