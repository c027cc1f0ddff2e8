"""seed_demo builds the demo and can run again without harm."""

import pytest

from django.contrib.auth import get_user_model
from django.core.management import call_command

from wagtail.models import Page

from news.models import NewsPage
from notifications.models import Topic


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    counts = (Page.objects.count(), NewsPage.objects.count(), Topic.objects.count(), get_user_model().objects.count())
    call_command("seed_demo")
    assert (
        Page.objects.count(),
        NewsPage.objects.count(),
        Topic.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    german_news = NewsPage.objects.filter(locale__language_code="de", live=True)
    assert german_news.count() >= 8
    assert german_news.values("topics__slug").distinct().count() >= 5
    assert NewsPage.objects.filter(locale__language_code="en", live=True).exists()
    assert Page.objects.filter(locale__language_code="de-ls", depth=2, live=True).exists()


@pytest.mark.django_db
def test_seed_demo_prints_sign_ins_only_in_dev(settings, capsys):
    settings.DEMO_SIGN_INS_VISIBLE = False
    call_command("seed_demo")
    assert "demo-redaktion" not in capsys.readouterr().out
    assert not get_user_model().objects.get(email="redaktion@demo.norderstedt.de").check_password("demo-redaktion-2026")
