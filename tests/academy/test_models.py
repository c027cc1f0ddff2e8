"""Page rules, the push hook and translations of course pages."""

import pytest

from wagtail.test.utils import WagtailPageTestCase

from academy.models import AcademyIndexPage, Course, CoursePage, Session
from academy.selectors import course_card
from home.models import HomePage
from notifications.models import PushOnPublishMixin
from tests.factories.academy import course_create, session_create
from tests.factories.notifications import TopicFactory


class AcademyTreeRulesTest(WagtailPageTestCase):
    def test_academy_sits_under_the_home_page_and_holds_courses(self):
        self.assertAllowedParentPageTypes(AcademyIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(AcademyIndexPage, {CoursePage})
        self.assertAllowedSubpageTypes(CoursePage, set())


@pytest.mark.django_db
def test_course_page_pushes_to_its_topics(academy):
    topic = TopicFactory(slug="digitalakademie", name="Digitalakademie")
    course = course_create(index=academy, topics=[topic])
    assert isinstance(course, PushOnPublishMixin)
    assert list(course.push_topics()) == [topic]
    assert course.push_default_text() == course.teaser


@pytest.mark.django_db
def test_translated_course_shares_sessions_with_the_german_page(academy, locales):
    from home.services import translation_save

    course = course_create(index=academy, title="Smartphone-Grundlagen")
    session_create(course=course)
    translation_save(instance=academy.get_parent().specific, locale=locales["en"], strings={})
    translation_save(instance=academy, locale=locales["en"], strings={"Digitalakademie": "Digital academy"})
    english = translation_save(
        instance=course, locale=locales["en"], strings={"Smartphone-Grundlagen": "Smartphone basics"}
    )
    assert english.course_id == course.course_id
    assert english.title == "Smartphone basics"
    card = course_card(course_page=english)
    assert card.page.course_id == course.course_id
    assert len(card.sessions) == 1 and card.availability.free == 10
    assert Session.objects.count() == 1 and Course.objects.count() == 1


class EditorCreatesCourseTest(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        from home.services import site_ensure
        from tests.factories.academy import academy_index_create

        cls.academy = academy_index_create(parent=site_ensure())

    def setUp(self):
        self.client.force_login(self.create_test_user())  # client.login() has no request for the lockout

    def test_editor_creates_a_course_page(self):
        from wagtail.test.utils.form_data import nested_form_data, rich_text

        self.assertCanCreate(
            self.academy,
            CoursePage,
            nested_form_data(
                {
                    "title": "Sicher online bezahlen",
                    "slug": "sicher-online-bezahlen",
                    "teaser": "So bezahlen Sie sicher im Internet.",
                    "description": rich_text("<p>Wir üben gemeinsam.</p>"),
                    "level": "beginner",
                    "course": str(Course.objects.create(title="Sicher online bezahlen", capacity=8).pk),
                    "price": "0",
                    "push_urgency": "normal",
                }
            ),
        )
