"""A developer reads the API documentation (Redoc) under the portal's policy."""

import pytest

pytestmark = pytest.mark.browser


def test_developer_reads_the_api_docs_without_policy_violations_or_third_party_requests(portal, demo_site):
    foreign = []
    portal.page.on(
        "request",
        lambda request: None if request.url.startswith((portal.base_url, "blob:")) else foreign.append(request.url),
    )
    portal.page.goto(portal.url("/api/v1/docs/"))
    portal.page.get_by_role("heading", name="Norderstedt GO! API").first.wait_for()
    portal.page.get_by_text("/api/v1/news/").first.wait_for(state="attached")
    portal.axe()
    # Redoc's footer shows Redocly's logo from their CDN; the policy blocks it, as it should.
    redocly_logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert set(foreign) <= {redocly_logo}
    blocked_logo = [report for report in portal.policy_violations if redocly_logo in report]
    assert blocked_logo, "the policy no longer blocks Redocly's logo"
    portal.policy_violations[:] = [report for report in portal.policy_violations if report not in blocked_logo]
