"""The "Benachrichtigungen" flow in chromium, with axe on every page.

Chromium's own push service (FCM) cannot be reached here, so the page's
``pushManager.subscribe()`` is answered with a subscription of the local push
service; everything after that (our script, the CSRF-protected endpoint, the
stored device, the Web Push to it) is the real path.
"""

import json
import threading

import pytest

from notifications.models import Subscription
from tests.notifications import conftest as notifications_fixtures

# The topics of tests/notifications/, used here with the browser harness (the push service
# and VAPID keys are root fixtures in tests/conftest.py).
traffic = notifications_fixtures.traffic
park = notifications_fixtures.park

pytestmark = pytest.mark.browser

FAKE_SUBSCRIBE = """
(subscription) => {
  PushManager.prototype.subscribe = async function () {
    return { toJSON: () => subscription, unsubscribe: async () => true };
  };
  PushManager.prototype.getSubscription = async function () {
    return { toJSON: () => subscription, unsubscribe: async () => true };
  };
}
"""


def test_citizen_chooses_topics_and_switches_push_on(portal, push_service, traffic, park):
    page = portal.page
    page.context.grant_permissions(["notifications"])
    subscription = push_service.subscription_new()
    page.add_init_script(f"({FAKE_SUBSCRIBE})({json.dumps(subscription)})")

    portal.goto("/de/benachrichtigungen/")
    page.get_by_label("Verkehr & Baustellen").check()
    page.get_by_role("button", name="Auswahl speichern").click()
    portal.axe()
    assert page.get_by_text("Ihre Auswahl ist gespeichert.").is_visible()
    assert page.get_by_label("Verkehr & Baustellen").is_checked()

    page.get_by_role("button", name="Push einschalten").click()
    page.get_by_text("Benachrichtigungen in diesem Browser sind an.").first.wait_for()
    portal.axe()

    stored = Subscription.objects.get()
    assert stored.web_device.registration_id == subscription["endpoint"]
    assert [topic.slug for topic in stored.topics.all()] == ["verkehr-baustellen"]

    # The stored subscription works: a Web Push to it arrives at the local push service, decrypted.
    from notifications.push import PushTarget
    from notifications.push.webpush import webpush_send

    results = []
    target = PushTarget(
        key=1,
        token=stored.web_device.registration_id,
        payload={"title": "Test", "text": "Hallo", "url": "/de/", "topic": "verkehr-baustellen"},
        p256dh=stored.web_device.p256dh,
        auth=stored.web_device.auth,
    )
    sender = threading.Thread(target=lambda: results.extend(webpush_send(targets=[target], campaign_key="browser")))
    sender.start()
    sender.join(timeout=30)
    assert [result.outcome for result in results] == ["sent"]
    assert push_service.received_by(subscription["endpoint"])[0].payload["text"] == "Hallo"
