"""Page rules, the push hook and translations of course pages."""

import pytest

from wagtail.test.utils import WagtailPageTestCase

from academy.models import AcademyIndexPage, CoursePage
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
    assert english.source_id == course.pk
    assert english.title == "Smartphone basics"
    card = course_card(course=english)
    assert card.source_id == course.pk
    assert len(card.sessions) == 1 and card.availability.free == 10
