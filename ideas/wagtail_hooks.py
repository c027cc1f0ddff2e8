"""Admin wiring: the Ideenspeicher menu, its views and the working-group snippet."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from ideas import admin_views
from ideas.models import WorkingGroup

admin_urlpatterns = [
    path("", admin_views.rounds_index, name="rounds"),
    path("moderation/", admin_views.moderation_queue, name="moderation"),
    path("moderation/<id:pk>/", admin_views.moderation_act, name="moderate"),
    path("erfassen/", admin_views.idea_enter, name="enter"),
    path("runden/neu/", admin_views.round_new, name="round_new"),
    path("runden/<id:pk>/", admin_views.round_detail, name="round"),
    path("runden/<id:pk>/export.<str:file_format>", admin_views.round_export, name="round_export"),
    path("bewerten/<id:pk>/", admin_views.assignment_score, name="score"),
    path("bewerten/<id:pk>/befangen/", admin_views.assignment_recuse, name="recuse"),
    path("entscheiden/<id:pk>/", admin_views.assignment_decide, name="decide"),
    path("bewertungsbogen/<id:pk>/oeffnen/", admin_views.scorecard_reopen_view, name="scorecard_reopen"),
    path("projekt/<id:pk>/", admin_views.assignment_promote, name="promote"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("ideen/", include((admin_urlpatterns, "ideas_admin"), namespace="ideas_admin"))]


class IdeasMenuItem(MenuItem):
    def is_shown(self, request):
        from ideas.selectors.evaluation import rounds_visible_to

        user = request.user
        return user.has_perm("ideas.moderate_idea") or rounds_visible_to(user=user).exists()


@hooks.register("register_admin_menu_item")
def register_ideas_menu_item():
    return IdeasMenuItem(_("Ideenspeicher"), reverse("ideas_admin:rounds"), icon_name="pick", order=250)


class WorkingGroupViewSet(SnippetViewSet):
    model = WorkingGroup
    icon = "group"
    menu_label = _("Arbeitskreise")
    add_to_admin_menu = False
    list_display = ["name"]


register_snippet(WorkingGroupViewSet)
