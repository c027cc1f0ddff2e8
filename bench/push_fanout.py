"""Benchmark: topic push fan-out through django-q2 workers against nginx over TLS.

    python -m bench.push_fanout --devices 2000

1. starts nginx (Debian's package) on a loopback port with a self-signed
   certificate; it answers every push with 201, so the receiving end is not the
   bottleneck;
2. creates N Web Push subscriptions with real P-256 key pairs on one topic;
3. publishes a news page through the Wagtail admin's own add-and-publish view
   (in-process test client) and counts that request's queries;
4. lets real ``qcluster`` worker processes fan out, and reads their peak RSS.
   They use django-q2's Redis broker when Redis answers at ``--redis-url``
   (how the portal runs at scale, docs/decisions.md), else the ORM broker;
   ``--broker orm`` forces the ORM broker;
5. as the baseline, sends the same payload to the same devices and endpoint
   through django-push-notifications' own path (``WebPushDevice`` queryset
   ``send_message``), capped at ``--baseline-devices``.

The last line is one JSON object. Nothing here runs in CI (``.ci/run`` skips
benchmarks).
"""

import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = """
worker_processes 1;
daemon off;
error_log {dir}/error.log warn;
pid {dir}/nginx.pid;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    client_max_body_size 8k;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{ return 201; }}
    }}
}}
"""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def nginx_start(directory: Path) -> tuple[subprocess.Popen, str, str]:
    from tests.notifications.push_service import self_signed_certificate

    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        sys.exit("nginx is missing: apt-get install -y nginx")
    cert, key = self_signed_certificate(str(directory))
    port = free_port()
    conf = directory / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=directory, port=port, cert=cert, key=key))
    process = subprocess.Popen([binary, "-c", str(conf), "-p", str(directory)], start_new_session=True)
    for _attempt in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process, f"https://127.0.0.1:{port}", cert
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("nginx did not start")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def redis_available(url: str) -> bool:
    import redis

    try:
        return bool(redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def broker_choose(args) -> str:
    """Redis when it answers (or when asked for), the ORM broker otherwise."""
    if args.broker == "auto":
        return "redis" if redis_available(args.redis_url) else "orm"
    if args.broker == "redis" and not redis_available(args.redis_url):
        sys.exit(f"Redis does not answer at {args.redis_url}")
    return args.broker


def redis_database_empty(url: str) -> None:
    """Drop what a previous run left: queued tasks, cached VAPID headers."""
    import redis

    redis.from_url(url).flushdb()


def environment(args, directory: Path, cert: str) -> None:
    private_key = ec.generate_private_key(ec.SECP256R1())
    keys = {
        "private_key": b64url(private_key.private_numbers().private_value.to_bytes(32, "big")),
        "public_key": b64url(
            private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        ),
    }
    database = args.database_url or f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cms.settings.base",
        SECRET_KEY="bench-only",
        DATABASE_URL=database,
        ALLOWED_HOSTS="testserver,127.0.0.1",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        VAPID_PRIVATE_KEY=keys["private_key"],
        VAPID_PUBLIC_KEY=keys["public_key"],
        PUSH_WEBPUSH_CA_BUNDLE=cert,
        PUSH_ENDPOINT_LOCAL_HOSTS="127.0.0.1",  # the local push service (notifications/push/endpoints.py)
        REQUESTS_CA_BUNDLE=cert,
        Q_WORKERS=str(args.workers),
        LOG_LEVEL="WARNING",
        SITE_URL="https://go.norderstedt.example",
        TASK_BROKER=args.broker,
    )
    if args.broker == "redis":
        os.environ["REDIS_URL"] = args.redis_url
    else:
        os.environ.pop("REDIS_URL", None)


def database_reset() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        name = settings.DATABASES["default"]["NAME"]
        import psycopg

        params = settings.DATABASES["default"]
        with psycopg.connect(
            host=params["HOST"], port=params["PORT"] or 5432, user=params["USER"], dbname="postgres", autocommit=True
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0, interactive=False)
    from django_q.models import Schedule

    Schedule.objects.all().delete()  # the sweep is not part of the measurement


def devices_create(*, count: int, origin: str, topic) -> list[int]:
    from push_notifications.models import WebPushDevice

    from notifications.models import Platform, Subscription
    from notifications.services.subscriptions import device_key_hash

    auth = os.urandom(16)
    devices = []
    for index in range(count):
        private_key = ec.generate_private_key(ec.SECP256R1())
        public = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        devices.append(
            WebPushDevice(
                registration_id=f"{origin}/push/{index}", p256dh=b64url(public), auth=b64url(auth), browser="CHROME"
            )
        )
    WebPushDevice.objects.bulk_create(devices, batch_size=2000)
    device_ids = list(WebPushDevice.objects.order_by("pk").values_list("pk", flat=True))
    subscriptions = [
        Subscription(
            key_hash=device_key_hash(f"bench-{device_id}"),
            platform=Platform.WEB,
            web_device_id=device_id,
            quiet_start=None,
            quiet_end=None,
        )
        for device_id in device_ids
    ]
    Subscription.objects.bulk_create(subscriptions, batch_size=2000)
    through = Subscription.topics.through
    through.objects.bulk_create(
        [through(subscription_id=pk, topic_id=topic.pk) for pk in Subscription.objects.values_list("pk", flat=True)],
        batch_size=5000,
    )
    return device_ids


def publish_through_admin(*, index, topic) -> tuple[float, int, object]:
    """Create and publish a news page with the admin's own view; time and count its queries."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    from news.models import NewsPage

    editor = get_user_model().objects.create_superuser(username="redaktion", email="r@example.org", password="x")
    client = Client()
    client.force_login(editor)
    data = nested_form_data(
        {
            "title": "Vollsperrung Ulzburger Straße",
            "slug": "vollsperrung-ulzburger-strasse",
            "date": "2026-11-26",
            "teaser": "Ab Montag ist die Ulzburger Straße zwischen Rathausallee und Kohfurth gesperrt.",
            "image_alt": "",
            "body": streamfield([("paragraph", rich_text("<p>Umleitung über die Schleswig-Holstein-Straße.</p>"))]),
            "push_on_publish": "on",
            "push_title": "",
            "push_text": "",
            "push_urgency": "normal",
            "action-publish": "action-publish",
        }
    )
    data["topics"] = [str(topic.pk)]
    url = f"/admin/pages/add/news/newspage/{index.pk}/"
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.post(url, data)
        elapsed_ms = (time.perf_counter() - started) * 1000
    if response.status_code != 302:
        sys.exit(f"publishing failed: HTTP {response.status_code}")
    return elapsed_ms, len(queries), NewsPage.objects.get(slug="vollsperrung-ulzburger-strasse")


def cluster_wait_ready(*, workers: int, timeout: float = 120) -> None:
    """Wait until every worker has run the (empty) sweep, so start-up and imports are not measured."""
    from django_q.tasks import async_task, fetch

    task_ids = [async_task("notifications.tasks.deliveries_release_task") for _ in range(workers * 2)]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(fetch(task_id) is not None for task_id in task_ids):
            return
        time.sleep(0.1)
    sys.exit("the django-q2 cluster did not start")


def descendants(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children + [grandchild for child in children for grandchild in descendants(child)]


def peak_rss_mb(pids: list[int]) -> float:
    peak = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return round(peak / 1024, 1)


def wait_for_campaign(*, page, cluster: subprocess.Popen, timeout: float) -> tuple[object, list[int], float]:
    from notifications.models import Campaign

    deadline = time.monotonic() + timeout
    workers: set[int] = set()
    peak = 0.0
    while time.monotonic() < deadline:
        pids = descendants(cluster.pid)
        workers.update(pids)
        peak = max(peak, peak_rss_mb(pids))
        campaign = Campaign.objects.filter(page=page).first()
        if campaign is not None and campaign.status == Campaign.Status.DONE:
            return campaign, sorted(workers), max(peak, peak_rss_mb(descendants(cluster.pid)))
        time.sleep(0.2)
    sys.exit("the fan-out did not finish in time")


def baseline(*, limit: int, payload: str) -> tuple[int, float]:
    from push_notifications.models import WebPushDevice

    devices = WebPushDevice.objects.filter(active=True).order_by("pk")
    ids = list(devices.values_list("pk", flat=True)[:limit])
    started = time.perf_counter()
    results = WebPushDevice.objects.filter(pk__in=ids).send_message(payload)
    seconds = time.perf_counter() - started
    sent = sum(result.get("success", 0) for result in results)
    return sent, seconds


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: the machine is shared, so every figure carries them."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-devices", type=int, default=2000)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--broker", choices=["auto", "redis", "orm"], default="auto")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        help="a Redis database of its own: the benchmark empties it first",
    )
    args = parser.parse_args()
    args.broker = broker_choose(args)
    sys.stderr.write(f"broker: {args.broker}; load average before: {load_average()}\n")

    directory = Path(tempfile.mkdtemp(prefix="bench-push-"))
    sys.path.insert(0, str(ROOT))
    nginx, origin, cert = nginx_start(directory)
    cluster = None
    try:
        environment(args, directory, cert)
        import django

        django.setup()
        database_reset()
        if args.broker == "redis":
            redis_database_empty(args.redis_url)

        from home.services import site_ensure
        from notifications.models import Topic
        from tests.factories.news import news_index_create

        home = site_ensure()
        topic = Topic.objects.create(slug="verkehr-baustellen", name="Verkehr & Baustellen", locale=home.locale)
        index = news_index_create(parent=home)
        started = time.perf_counter()
        devices_create(count=args.devices, origin=origin, topic=topic)
        sys.stderr.write(f"{args.devices} subscriptions created in {time.perf_counter() - started:.1f} s\n")

        cluster = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=open(directory / "qcluster.log", "w"),  # noqa: SIM115
        )
        cluster_wait_ready(workers=args.workers)
        publish_ms, publish_queries, page = publish_through_admin(index=index, topic=topic)
        campaign, _workers, peak = wait_for_campaign(page=page, cluster=cluster, timeout=args.timeout)
        seconds = (campaign.finished_at - campaign.created_at).total_seconds()
        stop(cluster)
        cluster = None

        from notifications.push.payload import payload_encode
        from notifications.services.campaigns import campaign_payload

        payload = payload_encode(campaign_payload(campaign=campaign, language="de")).decode()
        baseline_sent, baseline_seconds = baseline(limit=args.baseline_devices, payload=payload)
        sends_per_s = campaign.sent / seconds if seconds else 0.0
        baseline_per_s = baseline_sent / baseline_seconds if baseline_seconds else 0.0
        from django.db.models import Max, Min

        from notifications.models import Delivery

        span = Delivery.objects.filter(campaign=campaign).aggregate(first=Min("sent_at"), last=Max("sent_at"))
        sys.stderr.write(
            f"created {campaign.created_at:%H:%M:%S.%f}, planned {campaign.started_at:%H:%M:%S.%f}, "
            f"first sent {span['first']:%H:%M:%S.%f}, last sent {span['last']:%H:%M:%S.%f}\n"
        )
        sys.stderr.write(
            f"fan-out: {campaign.sent}/{campaign.targeted} sent, {campaign.failed} failed in {seconds:.2f} s; "
            f"baseline: {baseline_sent} sent in {baseline_seconds:.2f} s\n"
        )
        result = {
            "devices": args.devices,
            "seconds": round(seconds, 3),
            "sends_per_s": round(sends_per_s, 1),
            "baseline_sends_per_s": round(baseline_per_s, 1),
            "ratio": round(sends_per_s / baseline_per_s, 2) if baseline_per_s else None,
            "publish_request_ms": round(publish_ms, 1),
            "publish_request_queries": publish_queries,
            "peak_rss_mb": peak,
            "broker": args.broker,
            "load_average": load_average(),
        }
        sys.stdout.write(json.dumps(result) + "\n")
    finally:
        if cluster is not None:
            stop(cluster)
        stop(nginx)


if __name__ == "__main__":
    main()
