"""Staff read the admin in German: words Wagtail's German catalogue leaves in English are overridden."""

import re

import pytest

from django.core.management import call_command

from wagtail.models import Page


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style|svg|template)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_the_admin_says_sprache_not_locale(client, settings):
    from django.contrib.auth import get_user_model

    settings.DEMO_SIGN_INS_VISIBLE = False
    call_command("seed_demo")
    client.force_login(get_user_model().objects.filter(is_superuser=True).first())
    admin_client = client
    news_index = Page.objects.get(slug="nachrichten", locale__language_code="de")
    for url in ("/admin/account/", f"/admin/pages/{news_index.pk}/", "/admin/locales/"):
        response = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="de")
        assert response.status_code == 200, url
        text = _visible_text(response.content.decode())
        assert not re.search(r"\bLocales?\b", text), (url, re.findall(r".{40}\bLocales?\b.{20}", text)[:3])
    assert "Sprache" in _visible_text(admin_client.get(f"/admin/pages/{news_index.pk}/").content.decode())
