"""Browser harness: Playwright driving Debian's chromium, with axe-core on every page.

Use the ``portal`` fixture::

    def test_flow(portal):
        portal.goto("/de/")            # navigates and runs axe
        portal.page.click("text=…")    # after a click that navigates:
        portal.axe()                   # check the new page

At teardown every page the test navigated to must have been checked by axe, and
no check may have found a serious or critical violation. Nor may any page, the
Wagtail admin included, have broken its Content-Security-Policy: each
``securitypolicyviolation`` event and each console report of one fails the test
(docs/security.md, "Headers").

Without chromium the tests skip and say how to install it; with
``REQUIRE_BROWSER=1`` (set by .ci/run) a missing browser fails instead.
"""

import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
BLOCKING_IMPACTS = {"serious", "critical"}
# Runs in every frame before the page's own scripts; DevTools-injected scripts (axe) are exempt
# from the page's policy, so only the portal's and Wagtail's own markup and scripts are judged.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || "?"}:${event.lineNumber} ${event.sample || ""}`
  );
});
"""
POLICY_CONSOLE_MARKERS = ("Content Security Policy", "Content-Security-Policy", "Permissions-Policy")


def _chromium_or_skip() -> str:
    path = shutil.which("chromium")
    if path:
        return path
    reason = "chromium is not installed (apt-get install -y chromium); browser tests need it"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium():
    """One browser per test module. Not per session: while Playwright's sync API is
    open it keeps an asyncio loop running in this thread, and later non-browser tests
    that use asyncio (the APNs sender) would find it."""
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Portal:
    """One browser tab on the live server, with axe checks."""

    page: object
    base_url: str
    visited: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)
    violations: list[str] = field(default_factory=list)
    policy_violations: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def sign_in(self, user) -> None:
        """Sign ``user`` in by session cookie (the sign-in flow itself has its own test)."""
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        self.page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        self.axe()
        return response

    def axe(self, *, exclude: tuple[str, ...] = ()) -> None:
        """``exclude`` leaves out markup the portal does not write (Wagtail's own editor
        widgets); each caller names its selectors and says why."""
        from axe_playwright_python.sync_playwright import Axe

        self.page.wait_for_load_state("load")
        context = {"exclude": [[selector] for selector in exclude]} if exclude else None
        results = Axe().run(self.page, context=context)
        self.checked.add(_path_of(self.page.url))
        for violation in results.response["violations"]:
            if violation.get("impact") in BLOCKING_IMPACTS:
                targets = [node["target"] for node in violation["nodes"]][:5]
                where = _path_of(self.page.url)
                self.violations.append(
                    f"{where}: {violation['id']} ({violation['impact']}) {violation['help']} {targets}"
                )

    def unchecked_pages(self) -> list[str]:
        return sorted(set(self.visited) - self.checked)


def _record_policy_message(portal: Portal, message) -> None:
    if any(marker in message.text for marker in POLICY_CONSOLE_MARKERS):
        portal.policy_violations.append(f"{_path_of(portal.page.url)}: console: {message.text}")


def _path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def morning():
    """10:50 tomorrow in Berlin (ticking): the 11:00 slot is bookable and opening is already allowed."""
    import datetime
    import zoneinfo

    import time_machine

    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    tomorrow = datetime.datetime.now(berlin).date() + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime.combine(tomorrow, datetime.time(10, 50), tzinfo=berlin), tick=True):
        yield


@pytest.fixture
def portal(chromium, live_server, home):
    context = chromium.new_context(locale="de-DE", timezone_id="Europe/Berlin")
    page = context.new_page()
    page.set_default_timeout(15_000)
    portal = Portal(page=page, base_url=live_server.url)
    context.expose_binding(
        "reportCspViolation",
        lambda source, text: portal.policy_violations.append(f"{_path_of(source['frame'].url)}: {text}"),
    )
    context.add_init_script(CSP_LISTENER)
    page.on("console", lambda message: _record_policy_message(portal, message))
    page.on(
        "framenavigated",
        lambda frame: portal.visited.append(_path_of(frame.url)) if frame == page.main_frame else None,
    )
    yield portal
    context.close()
    assert not portal.policy_violations, "the page broke its policies:\n" + "\n".join(portal.policy_violations)
    assert not portal.violations, "axe found serious or critical violations:\n" + "\n".join(portal.violations)
    assert not portal.unchecked_pages(), f"pages visited without an axe check: {portal.unchecked_pages()}"
