"""Page tree rules and editing the idea store and project pages in the Wagtail admin."""

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from home.models import HomePage
from home.services import site_ensure
from ideas.models import IdeaIndexPage, ProjectIndexPage, ProjectPage
from ideas.services.projects import project_index_ensure


class PageTreeRulesTest(WagtailPageTestCase):
    def test_idea_store_and_projects_sit_under_the_home_page(self):
        self.assertAllowedParentPageTypes(IdeaIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(ProjectIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(IdeaIndexPage, set())

    def test_projects_live_only_under_projekte(self):
        self.assertAllowedParentPageTypes(ProjectPage, {ProjectIndexPage})
        self.assertAllowedSubpageTypes(ProjectPage, set())


class EditorCreatesPagesTest(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = site_ensure()

    def setUp(self):
        self.client.force_login(self.create_test_user())  # client.login() has no request for the lockout

    def test_editor_creates_the_idea_store(self):
        self.assertCanCreate(
            self.home,
            IdeaIndexPage,
            nested_form_data({"title": "Ideenspeicher", "slug": "ideen", "intro": "Ihre Ideen."}),
        )

    def test_editor_creates_a_project_with_milestones(self):
        index = project_index_ensure(home=self.home)
        self.assertCanCreate(
            index,
            ProjectPage,
            nested_form_data(
                {
                    "title": "Schließfächer im Stadtpark",
                    "slug": "schliessfaecher",
                    "intro": "Ausleihen rund um die Uhr.",
                    "body": streamfield([]),
                    "milestones": inline_formset([{"date": "2026-05-01", "title": "Anlage aufgestellt", "done": "on"}]),
                }
            ),
        )
        project = ProjectPage.objects.get(slug="schliessfaecher")
        assert project.milestones.get().title == "Anlage aufgestellt"
