"""Wagtail admin: the trainers' area and the rule that trainers touch only their own courses."""

from django.db.models import Q
from django.http import HttpResponseForbidden
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from academy.models import CoursePage
from academy.selectors import staff_manages_all


def _is_foreign_course(user, page) -> bool:
    page = page.specific if hasattr(page, "specific") else page
    if not isinstance(page, CoursePage) or staff_manages_all(user=user):
        return False
    return not CoursePage.objects.filter(pk=page.source_id, trainers=user).exists()


def _forbidden() -> HttpResponseForbidden:
    return HttpResponseForbidden(_("Dieser Kurs gehört einer anderen Kursleitung."))


@hooks.register("before_edit_page")
def trainers_edit_only_their_courses(request, page):
    if _is_foreign_course(request.user, page):
        return _forbidden()
    return None


@hooks.register("before_delete_page")
def trainers_delete_no_foreign_course(request, page):
    if _is_foreign_course(request.user, page):
        return _forbidden()
    return None


@hooks.register("construct_explorer_page_queryset")
def trainers_see_only_their_courses(parent_page, pages, request):
    if staff_manages_all(user=request.user) or not request.user.groups.filter(name="Trainer").exists():
        return pages
    own = CoursePage.objects.filter(trainers=request.user).values("translation_key")
    return pages.filter(Q(coursepage__isnull=True) | Q(coursepage__translation_key__in=own))


class AcademyMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return staff_manages_all(user=user) or user.groups.filter(name="Trainer").exists()


@hooks.register("register_admin_menu_item")
def academy_menu_item():
    return AcademyMenuItem(_("Kurstermine"), reverse("academy_admin:sessions"), icon_name="date", order=250)


@hooks.register("register_admin_urls")
def academy_admin_urls():
    return [path("akademie/", include(("academy.admin_urls", "academy_admin"), namespace="academy_admin"))]
