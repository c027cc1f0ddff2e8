"""Wagtail admin: courses as snippets, the trainers' area, the rule that trainers touch
only their own courses, and the rule that a booked course is unpublished, not deleted."""

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponseForbidden
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from academy.models import Course, CoursePage
from academy.selectors import booked_courses_left_without_page, staff_manages_all
from academy.services.registrations import pools_promote


class CourseViewSet(SnippetViewSet):
    model = Course
    icon = "group"
    menu_label = _("Kurse")
    list_display = ["title", "format", "status"]
    list_filter = ["format", "status"]


register_snippet(CourseViewSet)


@hooks.register("after_edit_snippet")
def course_saved_promotes_the_waiting_list(request, instance):
    if isinstance(instance, Course):
        pools_promote(course_id=instance.pk)


def _is_foreign_course(user, page) -> bool:
    page = page.specific if hasattr(page, "specific") else page
    if not isinstance(page, CoursePage) or staff_manages_all(user=user):
        return False
    return not Course.objects.filter(pk=page.course_id, trainers=user).exists()


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


def _page_ids_deleted_with(pages) -> set[int]:
    """The pages, the translations Wagtail's delete view removes with them, and all their descendants."""
    pages = set(pages)
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        for hook in hooks.get_hooks("construct_translated_pages_to_cascade_actions"):
            more = hook(list(pages), "delete")
            if isinstance(more, dict):
                for translated in more.values():
                    pages.update(translated)
    ids: set[int] = set()
    for each in pages:
        ids.update(each.get_descendants(inclusive=True).values_list("pk", flat=True))
    return ids


def _deletion_refused(request, pages):
    """The explanation instead of the deletion, when it would hide a course with registrations."""
    page_ids = _page_ids_deleted_with(pages)
    courses = list(booked_courses_left_without_page(page_ids=page_ids))
    if not courses:
        return None
    page = CoursePage.objects.filter(pk__in=page_ids, course__in=courses).order_by("path").first()
    context = {"page": page, "courses": courses, "page_title": _("Seite nicht löschen"), "header_icon": "warning"}
    return TemplateResponse(request, "academy/admin/course_delete_refused.html", context)


@hooks.register("before_delete_page")
def booked_courses_are_unpublished_not_deleted(request, page):
    return _deletion_refused(request, [page])


@hooks.register("before_bulk_action")
def booked_courses_are_not_bulk_deleted(request, action_type, objects, action_class_instance):
    pages = [item for item in objects if isinstance(item, Page)]
    if action_type != "delete" or not pages:
        return None
    return _deletion_refused(request, pages)


@hooks.register("construct_explorer_page_queryset")
def trainers_see_only_their_courses(parent_page, pages, request):
    if staff_manages_all(user=request.user) or not request.user.groups.filter(name="Trainer").exists():
        return pages
    own = Course.objects.filter(trainers=request.user).values("pk")
    return pages.filter(Q(coursepage__isnull=True) | Q(coursepage__course__in=own))


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
