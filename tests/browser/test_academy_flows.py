"""Academy flows in chromium, axe on every page: a citizen finds a course,
registers, sees it in Mein Konto and cancels; a trainer takes attendance."""

import re

import pytest

from django.contrib.auth import get_user_model

pytestmark = pytest.mark.browser


@pytest.fixture
def academy_demo(demo_site):
    from academy import demo as academy_demo
    from accounts import demo as accounts_demo

    accounts_demo.seed(reveal_passwords=True)
    academy_demo.seed(home=demo_site)
    return demo_site


def test_citizen_finds_a_course_registers_and_cancels(portal, academy_demo):
    portal.sign_in(get_user_model().objects.get(email="buergerin@demo.norderstedt.de"))
    page = portal.page
    portal.goto("/de/")
    page.get_by_role("link", name="Alle Kurse und Sprechstunden").click()
    portal.axe()
    page.get_by_label("Stufe", exact=True).select_option("beginner")
    page.get_by_role("button", name="Kurse anzeigen").click()
    portal.axe()
    assert "Sicher online bezahlen" not in page.locator("main").inner_text()
    page.get_by_role("link", name="Smartphone-Grundlagen").click()
    portal.axe()
    page.get_by_label("Großdruck", exact=True).check()
    page.get_by_role("button", name="Verbindlich anmelden").click()
    page.wait_for_url("**/mein-konto/**")
    portal.axe()
    main = page.locator("main")
    assert "Sie sind angemeldet." in main.inner_text()
    assert main.get_by_role("link", name="Smartphone-Grundlagen").is_visible()
    main.get_by_role("button", name=re.compile(r"Absagen.*Smartphone-Grundlagen")).click()
    portal.axe()
    assert "Erledigt." in main.inner_text()
    assert main.get_by_role("link", name="Smartphone-Grundlagen").count() == 0


def test_trainer_takes_attendance_on_a_tablet(portal, academy_demo):
    from academy.models import CoursePage, Registration, Session

    course = CoursePage.objects.get(slug="sicher-online-bezahlen")
    session = Session.objects.filter(course=course.course).order_by("start").first()
    first = Registration.objects.filter(course=course.course, status="confirmed").order_by("created_at").first()
    portal.page.set_viewport_size({"width": 1024, "height": 768})
    portal.sign_in(get_user_model().objects.get(email="trainer@demo.norderstedt.de"))
    page = portal.page
    portal.goto("/admin/akademie/")
    page.get_by_role("row").filter(has_text="Sicher online bezahlen").first.get_by_role(
        "link", name="Anwesenheit"
    ).click()
    portal.axe()
    assert f"/termine/{session.pk}/anwesenheit/" in page.url
    page.get_by_role("button", name=f"{first.person_name} ist da").click()
    portal.axe()
    assert page.get_by_role("button", name=f"{first.person_name} als abwesend markieren").is_visible()
    assert first.attendances.get(session=session).present
