"""The Verleih team's place in the Wagtail admin: catalogue snippets and the staff tools."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from rentals import admin_urls
from rentals.admin_views import STAFF_PERMISSION
from rentals.models import Item, ItemType, Location


class ItemTypeViewSet(SnippetViewSet):
    model = ItemType
    icon = "tag"
    menu_label = _("Leihgegenstände")
    list_display = ["name", "slot_minutes", "max_duration_minutes", "max_active_per_citizen"]
    add_to_admin_menu = False


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    list_display = ["name", "address"]


class ItemViewSet(SnippetViewSet):
    model = Item
    icon = "cogs"
    list_display = ["label", "item_type", "home_compartment", "status", "condition"]
    list_filter = ["item_type", "status", "condition"]


register_snippet(ItemTypeViewSet)
register_snippet(LocationViewSet)
register_snippet(ItemViewSet)


@hooks.register("register_admin_urls")
def rentals_admin_urls():
    return [path("verleih/", include((admin_urls, "rentals_admin"), namespace="rentals_admin"))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(STAFF_PERMISSION)


@hooks.register("register_admin_menu_item")
def rentals_menu():
    items = [
        StaffMenuItem(_("Heute"), reverse("rentals_admin:board"), icon_name="calendar", order=1),
        StaffMenuItem(_("Reservierungen"), reverse("rentals_admin:reservations"), icon_name="list-ul", order=2),
        StaffMenuItem(_("Für Anrufende buchen"), reverse("rentals_admin:book"), icon_name="mobile-alt", order=3),
        StaffMenuItem(_("Gegenstände und Fächer"), reverse("rentals_admin:items"), icon_name="cogs", order=4),
        StaffMenuItem(_("Nutzung"), reverse("rentals_admin:usage"), icon_name="table", order=5),
    ]
    return SubmenuMenuItem(_("Verleih"), Menu(items=items), icon_name="calendar", order=250)
