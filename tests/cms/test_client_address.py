"""Behind the proxy each citizen has a rate-limit bucket of their own (cms/client_address.py).

The proxy is 127.0.0.1 and appends the client's address to X-Forwarded-For, as nginx does.
"""

import pytest

from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from cms.client_address import client_address

PROXY = "127.0.0.1"


def _request_code(client: Client, *, email: str, forwarded_for: str):
    with translation.override("de"):
        url = reverse("account_request_login_code")
    return client.post(url, {"email": email}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


@pytest.fixture
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.mark.django_db
def test_twenty_citizens_behind_the_proxy_do_not_block_the_next_one(one_proxy, home):
    for number in range(20):
        response = _request_code(Client(), email=f"person{number}@example.org", forwarded_for=f"203.0.113.{number}")
        assert response.status_code == 302, number
    assert _request_code(Client(), email="next@example.org", forwarded_for="203.0.113.200").status_code == 302


@pytest.mark.django_db
def test_one_client_behind_the_proxy_is_still_limited_with_a_formal_message(one_proxy, home):
    for number in range(20):
        _request_code(Client(), email=f"person{number}@example.org", forwarded_for="203.0.113.5")
    # A forged entry in front of the proxy's own does not buy a new bucket.
    refused = _request_code(Client(), email="again@example.org", forwarded_for="10.9.9.9, 203.0.113.5")
    assert refused.status_code == 200
    content = refused.content.decode()
    assert "Zu viele Versuche in kurzer Zeit. Bitte warten Sie" in content
    assert "gescheiterte" not in content and "versuche es" not in content


@pytest.mark.django_db
def test_api_throttle_counts_each_client_behind_the_proxy(one_proxy, client, locales):
    for number in range(121):
        assert (
            client.get("/api/v1/topics/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.{number}.1").status_code
            == 200
        )
    for _ in range(120):
        client.get("/api/v1/topics/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client.get("/api/v1/topics/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.1", "192.0.2.10"),  # no proxy trusted: the header is the client's own words
        (1, "203.0.113.1", "203.0.113.1"),
        (1, "6.6.6.6, 203.0.113.1", "203.0.113.1"),  # a forged entry is ignored
        (2, "6.6.6.6, 203.0.113.1, 10.0.0.2", "203.0.113.1"),
        (2, "203.0.113.1", "203.0.113.1"),  # entered behind the outer proxy
        (1, "not-an-address", "192.0.2.10"),
        (1, "", "192.0.2.10"),
    ],
)
def test_client_address_trusts_only_the_entries_of_our_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.10", **headers)
    assert client_address(request) == expected
