"""Trainer rights (docs/academy.md, "Trainer permissions").

The Trainer group may edit pages below the academy (Wagtail page permission
``change_page`` on each academy index, no publish). ``wagtail_hooks`` narrows
that to the courses that name the trainer; everything else about sessions and
participants goes through ``selectors.courses_for_staff``.
"""

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, Page

TRAINERS = "Trainer"


def trainer_page_permissions_ensure(*, index: Page) -> None:
    group, _created = Group.objects.get_or_create(name=TRAINERS)
    permission = Permission.objects.get(content_type__app_label="wagtailcore", codename="change_page")
    GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
