"""Journeys through the running portal, as its users make them: only HTTPS and MQTT.

Each journey has a deadline. The news campaigns are started first (module
fixture) so their clocks run while the locker and academy journeys go on:
page A is published at once, page B is scheduled for the next minute at least
60 s ahead, and the last two tests wait for B and check the delivery report.

Written against main, where B never went live (nothing ran publish_scheduled),
push links pointed at http://localhost/, and unregistering a device after a
campaign made the report's figures shrink.
"""

import datetime
import re
import secrets
import time

import pytest

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from tests.stack.harness import Browser, berlin_now, form_fields, until

SCHEDULE_LEAD = datetime.timedelta(seconds=60)
GO_LIVE_DEADLINE = 90  # seconds after go-live
PUSH_DEADLINE = 60  # seconds for a campaign to reach every device
SWEEP_SECONDS = 65  # the report's minutely sweep has run at least once after this


def _set(fields: list[tuple[str, str]], **values) -> list[tuple[str, str]]:
    names = set(values)
    return [(name, value) for name, value in fields if name not in names] + [
        (name, str(value)) for name, value in values.items()
    ]


def _news_post(editor: Browser, stack, *, title: str, go_live: datetime.datetime | None) -> str:
    """The editor fills in the admin's "new news page" form and presses Veröffentlichen."""
    add = f"/admin/pages/add/news/newspage/{stack.facts['news_index']}/"
    page = editor.get(add)
    assert page.status_code == 200, page.status_code
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    fields = _set(
        [pair for pair in form_fields(page.text, having="title") if not pair[0].startswith("body")],
        title=title,
        slug=slug,
        teaser=f"{title}: Bitte planen Sie mehr Zeit ein.",
        date=berlin_now().date().isoformat(),
        push_on_publish="on",
        go_live_at=f"{go_live:%Y-%m-%d %H:%M}" if go_live else "",
        **{"action-publish": "action-publish"},
    )
    fields = [pair for pair in fields if pair[0] != "topics"] + [("topics", str(stack.facts["topic_id"]))]
    body = nested_form_data(
        {"body": streamfield([("paragraph", rich_text("<p>Die Umleitung ist ausgeschildert.</p>"))])}
    )
    fields += [(name, str(value)) for name, value in body.items()]
    response = editor.post_form(add, fields)
    assert response.status_code == 302, re.findall(r'class="error-message"[^<]*<[^>]*>([^<]*)', response.text)
    return f"{stack.facts['news_path']}{slug}/"


def _report(staff: Browser) -> dict:
    """The delivery report's figures per campaign title, and the sends of today in the 14-day chart."""
    html = staff.get("/admin/reports/versaende/").text
    rows = {}
    for row in re.findall(r"<tr data-campaign=\"\d+\">(.*?)</tr>", html, re.S):
        title = re.search(r"<a [^>]*>([^<]*)</a>", row).group(1)
        figures = dict(re.findall(r'data-field="(targeted|sent|failed|deactivated)">(\d+)<', row))
        rows[title] = {name: int(value) for name, value in figures.items()}
    days = re.findall(r"<tr><td>[^<]*</td><td>(\d+)</td></tr>", html.split('id="sends-per-day-table"', 1)[1])
    return {"campaigns": rows, "today": int(days[-1]) if days else 0}


def _device(subscription: dict, stack) -> dict:
    return {"platform": "web", "subscription": subscription, "language": "de", "topics": [stack.facts["topic"]]}


@pytest.fixture(scope="module")
def news(stack, push_service):
    """Four followers' devices; page A published now, page B scheduled a minute ahead."""
    app = Browser(stack.site_url, stack.certificate)
    devices = []
    for _ in range(4):
        subscription = push_service.subscription_new()
        response = app.api(
            "POST",
            "/api/v1/push/devices/",
            json=_device(subscription, stack),
        )
        assert response.status_code == 201, response.text
        devices.append({"subscription": subscription, "key": response.json()["device_key"]})
    editor = Browser(stack.site_url, stack.certificate)
    editor.sign_in_staff("leitung", stack.editor_password)
    token = secrets.token_hex(3)
    title_a = f"Sperrung Ohechaussee {token}"
    path_a = _news_post(editor, stack, title=title_a, go_live=None)
    go_live = (berlin_now() + SCHEDULE_LEAD + datetime.timedelta(seconds=59)).replace(second=0, microsecond=0)
    title_b = f"Baustelle Rathausallee {token}"
    path_b = _news_post(editor, stack, title=title_b, go_live=go_live)
    assert app.get(path_b).status_code == 404  # not before its time
    return {
        "app": app,
        "editor": editor,
        "devices": devices,
        "token": token,
        "a": {"title": title_a, "path": path_a},
        "b": {"title": title_b, "path": path_b, "go_live": go_live},
    }


def _pushes(push_service, device, path_suffix: str) -> list:
    return [
        item
        for item in push_service.received_by(device["subscription"]["endpoint"])
        if item.payload["url"].endswith(path_suffix)
    ]


def test_published_news_reaches_every_follower_once_and_unregistering_keeps_the_figures(stack, news, push_service):
    app, editor, devices = news["app"], news["editor"], news["devices"]
    path = news["a"]["path"]
    for device in devices:
        until(lambda device=device: _pushes(push_service, device, path), timeout=PUSH_DEADLINE, what="A's push")
    before = until(
        lambda: (report := _report(editor))["campaigns"].get(news["a"]["title"], {}).get("sent") == 4 and report,
        timeout=PUSH_DEADLINE,
        what="the report counting four sent",
    )
    for device in devices:
        (push,) = _pushes(push_service, device, path)
        assert push.payload["url"] == f"{stack.site_url}{path}"
        assert app.get(push.payload["url"].removeprefix(stack.site_url)).status_code == 200
    # The fourth device is unregistered; the third registers again (a new browser profile, same endpoint).
    gone = app.api("DELETE", "/api/v1/push/devices/current/", headers={"X-Device-Key": devices[3]["key"]})
    assert gone.status_code in (200, 204), gone.text
    again = app.api(
        "POST",
        "/api/v1/push/devices/",
        json=_device(devices[2]["subscription"], stack),
    )
    assert again.status_code in (200, 201), again.text
    devices[2]["key"] = again.json()["device_key"]
    news["unregistered_at"] = time.monotonic()
    news["report_a"] = before["campaigns"][news["a"]["title"]]
    # The worker wrote A into the site search after the publish; B, not yet live, is not there.
    search = f"/de/suche/?q={news['token']}"
    until(lambda: path in app.get(search).text, timeout=PUSH_DEADLINE, what="A in the site search")
    assert news["b"]["path"] not in app.get(search).text
    news["today_before"] = before["today"]


def test_bollerwagen_opens_with_the_pin_at_the_keypad_and_records_real_times(stack, browser, mail_sink, keypad):
    address = f"bollerwagen-{secrets.token_hex(3)}@example.org"
    browser.sign_in_by_code(mail_sink, address, signup=True)
    now = berlin_now()
    start = (now + datetime.timedelta(minutes=15 - now.minute % 15)).replace(second=0, microsecond=0)
    if start.hour == 23 and start.minute == 45:  # a slot must end by closing time
        time.sleep((start - berlin_now()).total_seconds() + 1)
        start += datetime.timedelta(minutes=15)
    detail = browser.follow("/de/verleih/bollerwagen/")
    assert detail.status_code == 200
    response = browser.post_form(
        "/de/verleih/bollerwagen/reservieren/",
        {"day": start.date().isoformat(), "start": f"{start:%H:%M}", "duration_minutes": "60"},
        referer="/de/verleih/bollerwagen/",
    )
    assert response.status_code == 302, response.text[:3000]
    reservation_path = response.headers["Location"]
    reservation_id = int(re.search(r"/reservierung/(\d+)/", reservation_path).group(1))
    body = mail_sink.wait_for(to=address, containing="PIN")
    pin = re.search(r"\b(\d{6})\b", body).group(1)
    assert pin in browser.get(reservation_path).text

    def api_reservation():
        return browser.api("GET", f"/api/v1/rentals/reservations/{reservation_id}/").json()

    assert api_reservation()["pin"] == pin
    # The PIN reaches the controller through the bridge; then it opens the door at the keypad.
    seen = len(keypad.events)

    def typed_and_opened():
        keypad.act(action="keypad", pin=pin)
        try:
            return keypad.event("door_opened", after=seen, timeout=3)
        except AssertionError:
            return None

    opened = until(typed_and_opened, timeout=45, interval=0.5, what="the door opening for the PIN")
    number = int(opened["compartment"])
    keypad.act(action="door_close", compartment=number, occupied=False)
    taken_at = datetime.datetime.now(datetime.UTC)
    picked = until(lambda: (data := api_reservation()).get("picked_up_at") and data, timeout=20, what="picked up")
    time.sleep(2)
    seen = len(keypad.events)
    keypad.act(action="keypad", pin=pin)
    keypad.event("door_opened", after=seen, timeout=20)
    keypad.act(action="door_close", compartment=number, occupied=True)
    returned_at = datetime.datetime.now(datetime.UTC)
    done = until(lambda: (data := api_reservation()).get("returned_at") and data, timeout=20, what="returned")
    picked_up = datetime.datetime.fromisoformat(picked["picked_up_at"])
    returned = datetime.datetime.fromisoformat(done["returned_at"])
    assert abs((picked_up - taken_at).total_seconds()) < 5
    assert abs((returned - returned_at).total_seconds()) < 5 and returned > picked_up


def _my_registrations(person: Browser) -> list[dict]:
    mine = person.api("GET", "/api/v1/academy/registrations/mine/").json()
    return mine.get("results", mine) if isinstance(mine, dict) else mine


def test_waiting_list_promotion_arrives_by_email_with_a_working_link(stack, mail_sink):
    first, second = (Browser(stack.site_url, stack.certificate) for _ in range(2))
    addresses = [f"kurs-{secrets.token_hex(3)}@example.org" for _ in range(2)]
    for person, address in zip((first, second), addresses, strict=True):
        person.sign_in_by_code(mail_sink, address, signup=True)
    course_path = stack.facts["course_path"]
    registrations = []
    for person in (first, second):
        page = person.get(course_path)
        assert page.status_code == 200
        fields = form_fields(page.text, action_contains="/anmelden/")
        action = re.search(r'action="([^"]*/anmelden/)"', page.text).group(1)
        response = person.post_form(action, fields, referer=course_path)
        assert response.status_code == 302, response.text[:2000]
        registrations.append(_my_registrations(person)[0])
    assert [registration["status"] for registration in registrations] == ["confirmed", "waiting"]
    cancel = f"/de/akademie/anmeldungen/{registrations[0]['id']}/absagen/"
    assert first.post_form(cancel, {}, referer="/de/mein-konto/").status_code == 302
    body = mail_sink.wait_for(to=addresses[1], subject="Ein Platz ist frei", timeout=60)
    link = re.search(rf"{re.escape(stack.site_url)}(/\S*/link/confirm/\S+/)", body).group(1)
    page = second.get(link)
    assert page.status_code == 200
    response = second.post_form(link, form_fields(page.text, having="csrfmiddlewaretoken"))
    assert response.status_code in (200, 302)
    assert _my_registrations(second)[0]["status"] == "confirmed"


def test_scheduled_news_goes_live_in_time_and_pushes_each_follower_once(stack, news, push_service):
    app, devices, b = news["app"], news["devices"], news["b"]
    if berlin_now() < b["go_live"] - datetime.timedelta(seconds=2):
        assert app.get(b["path"]).status_code == 404
    until(lambda: berlin_now() >= b["go_live"], timeout=180, interval=1, what="the go-live time")
    until(lambda: app.get(b["path"]).status_code == 200, timeout=GO_LIVE_DEADLINE, interval=2, what="page B going live")
    followers = devices[:3]
    for device in followers:
        until(lambda device=device: _pushes(push_service, device, b["path"]), timeout=PUSH_DEADLINE, what="B's push")
    time.sleep(3)  # a second copy would have arrived by now
    for device in followers:
        (push,) = _pushes(push_service, device, b["path"])
        assert app.get(push.payload["url"].removeprefix(stack.site_url)).status_code == 200
    assert _pushes(push_service, devices[3], b["path"]) == []  # unregistered before B went live
    search = f"/de/suche/?q={news['token']}"
    until(lambda: b["path"] in app.get(search).text, timeout=PUSH_DEADLINE, what="B in the site search")


def test_report_figures_never_shrink_after_devices_leave(stack, news):
    wait = SWEEP_SECONDS - (time.monotonic() - news["unregistered_at"])
    if wait > 0:
        time.sleep(wait)
    report = until(
        lambda: (data := _report(news["editor"]))["campaigns"].get(news["b"]["title"], {}).get("sent") == 3 and data,
        timeout=PUSH_DEADLINE,
        what="the report counting page B's three sends",
    )
    assert report["campaigns"][news["a"]["title"]] == news["report_a"]
    assert report["today"] == news["today_before"] + 3
