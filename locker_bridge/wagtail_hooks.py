"""Admin wiring: the controller status page and its menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from locker_bridge import admin_views

admin_urlpatterns = [
    path("", admin_views.status, name="status"),
    path("warnungen/<id:alert_id>/bestaetigen/", admin_views.alert_acknowledge_view, name="alert_acknowledge"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("schliessfaecher/", include((admin_urlpatterns, "locker_bridge_admin")))]


class StatusMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("locker_bridge.view_locker")


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return StatusMenuItem(_("Schließfachanlagen"), reverse("locker_bridge_admin:status"), icon_name="lock", order=900)
