"""Page creation rules and editing through the Wagtail admin."""

import pytest

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from academy.models import AcademyIndexPage
from home.models import AccessibilityStatementPage, HomePage, StandardPage
from home.services import site_ensure
from ideas.models import IdeaIndexPage, ProjectIndexPage
from news.models import NewsIndexPage, NewsPage


class PageTreeRulesTest(WagtailPageTestCase):
    def test_home_page_allows_content_sections(self):
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                StandardPage,
                AccessibilityStatementPage,
                NewsIndexPage,
                AcademyIndexPage,
                IdeaIndexPage,
                ProjectIndexPage,
            },
        )

    def test_news_only_inside_news_index(self):
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())

    def test_home_page_only_below_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})


class EditorCreatesPagesTest(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = site_ensure()

    def setUp(self):
        self.client.force_login(self.create_test_user())  # client.login() has no request for the lockout

    def test_editor_can_create_standard_page_with_every_block(self):
        self.assertCanCreate(
            self.home,
            StandardPage,
            nested_form_data(
                {
                    "title": "Parken in der Innenstadt",
                    "slug": "parken",
                    "intro": "So parken Sie in der Innenstadt.",
                    "body": streamfield(
                        [
                            ("heading", {"text": "Parkhäuser", "level": "h2"}),
                            ("paragraph", rich_text("<p>Es gibt drei Parkhäuser.</p>")),
                            ("call_to_action", {"text": "Zum Stadtplan", "page": "", "url": "https://example.org"}),
                            (
                                "contact",
                                {
                                    "name": "Ordnungsamt",
                                    "phone": "040 123",
                                    "email": "",
                                    "address": "",
                                    "opening_hours": "",
                                },
                            ),
                        ]
                    ),
                }
            ),
        )

    def test_news_index_cannot_be_created_below_standard_page(self):
        standard = self.home.add_child(instance=StandardPage(title="Service", slug="service"))
        self.assertCanNotCreateAt(StandardPage, NewsIndexPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertTrue(standard.live)

    def test_editor_publishes_news_through_admin_form(self):
        index = self.home.add_child(instance=NewsIndexPage(title="Nachrichten", slug="nachrichten"))
        self.assertCanCreate(
            index,
            NewsPage,
            nested_form_data(
                {
                    "title": "Neue Buslinie",
                    "slug": "neue-buslinie",
                    "date": "2026-11-20",
                    "teaser": "Ab Montag fährt die Linie 393 öfter.",
                    "image_alt": "",
                    "body": streamfield([("paragraph", rich_text("<p>Alle zehn Minuten.</p>"))]),
                    "push_urgency": "normal",
                    "action-publish": "publish",
                }
            ),
        )
        page = NewsPage.objects.get(slug="neue-buslinie")
        assert page.live
        assert page.teaser.startswith("Ab Montag")


@pytest.mark.django_db
def test_image_block_requires_alt_text():
    from wagtail.blocks import StructBlockValidationError

    from home.blocks import AccessibleImageBlock

    block = AccessibleImageBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"image": None, "alt_text": "", "caption": ""}))


@pytest.mark.django_db
def test_news_image_without_alt_text_is_rejected(home):
    from django.core.exceptions import ValidationError

    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Baum", file=get_test_image_file())
    page = NewsPage(title="Bäume", slug="baeume", teaser="Neue Bäume.", image=image, image_alt="  ")
    with pytest.raises(ValidationError) as raised:
        page.clean()
    assert "image_alt" in raised.value.message_dict
