"""Move every course page's format, places, cutoff and trainers to one ``Course`` per
translation group, and hang its sessions and registrations on that course.

Page revisions and wagtail-localize sources store a page's fields as JSON; they get
the course too, so editing or re-syncing a page after the migration keeps it. The
way back restores the page fields and points sessions and registrations at the
German page again; a course that no page shows any more cannot go back and stops
the reversal with a message.
"""

import json
from collections import defaultdict

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations

MOVED = ("format", "capacity", "cutoff_hours")


def _stored_contents(apps, page_ids):
    """Revisions and translation sources of these pages: (row, attribute holding JSON, page id)."""
    content_type = apps.get_model("contenttypes", "ContentType").objects.filter(app_label="academy", model="coursepage")
    content_type = content_type.first()
    if content_type is None:
        return
    revisions = apps.get_model("wagtailcore", "Revision").objects.filter(
        content_type=content_type, object_id__in=[str(page_id) for page_id in page_ids]
    )
    for revision in revisions:
        yield revision, "content", int(revision.object_id)
    try:
        sources = apps.get_model("wagtail_localize", "TranslationSource").objects.filter(
            specific_content_type=content_type
        )
    except LookupError:
        return
    for source in sources:
        content = json.loads(source.content_json)
        if content.get("pk") in page_ids:
            yield source, "content_json", content["pk"]


def _update_json(row, attribute, change) -> None:
    value = getattr(row, attribute)
    content = json.loads(value) if isinstance(value, str) else dict(value)
    change(content)
    setattr(row, attribute, json.dumps(content, cls=DjangoJSONEncoder) if isinstance(value, str) else content)
    row.save(update_fields=[attribute])


def _groups(CoursePage):
    groups = defaultdict(list)
    for page in CoursePage.objects.select_related("locale").order_by("path"):
        groups[page.translation_key].append(page)
    return groups


def _source(pages):
    return next((page for page in pages if page.locale.language_code == settings.LANGUAGE_CODE), pages[0])


def forwards(apps, schema_editor):
    CoursePage = apps.get_model("academy", "CoursePage")
    Course = apps.get_model("academy", "Course")
    Session = apps.get_model("academy", "Session")
    Registration = apps.get_model("academy", "Registration")
    page_trainers = CoursePage._meta.get_field("trainers").remote_field.through
    course_of_page = {}
    for pages in _groups(CoursePage).values():
        source = _source(pages)
        course = Course.objects.create(title=source.title, **{name: getattr(source, name) for name in MOVED})
        course.trainers.set(page_trainers.objects.filter(coursepage_id=source.pk).values_list("user_id", flat=True))
        ids = [page.pk for page in pages]
        CoursePage.objects.filter(pk__in=ids).update(course_record=course)
        Session.objects.filter(course_id__in=ids).update(course_record=course)
        Registration.objects.filter(course_id__in=ids).update(course_record=course)
        course_of_page.update(dict.fromkeys(ids, course.pk))
    for row, attribute, page_id in _stored_contents(apps, set(course_of_page)):
        _update_json(row, attribute, lambda content, page_id=page_id: content.update(course=course_of_page[page_id]))


def backwards(apps, schema_editor):
    CoursePage = apps.get_model("academy", "CoursePage")
    Course = apps.get_model("academy", "Course")
    Session = apps.get_model("academy", "Session")
    Registration = apps.get_model("academy", "Registration")
    page_trainers = CoursePage._meta.get_field("trainers").remote_field.through
    restored = {}
    for course in Course.objects.all():
        pages = list(CoursePage.objects.filter(course_record=course).select_related("locale").order_by("path"))
        if not pages:
            raise RuntimeError(
                f"Course {course.pk} ({course.title}) has no page any more; its sessions and registrations "
                "cannot be attached to a page. Create a page for it before migrating back."
            )
        source = _source(pages)
        trainer_ids = list(course.trainers.values_list("pk", flat=True))
        CoursePage.objects.filter(pk__in=[page.pk for page in pages]).update(
            **{name: getattr(course, name) for name in MOVED}
        )
        for page in pages:
            page_trainers.objects.filter(coursepage_id=page.pk).delete()
            page_trainers.objects.bulk_create(
                [page_trainers(coursepage_id=page.pk, user_id=trainer_id) for trainer_id in trainer_ids]
            )
            restored[page.pk] = {
                **{name: getattr(course, name) for name in MOVED},
                "trainers": trainer_ids,
            }
        Session.objects.filter(course_record=course).update(course=source)
        Registration.objects.filter(course_record=course).update(course=source)

    def restore(content, page_id):
        content.pop("course", None)
        content.update(restored[page_id])

    for row, attribute, page_id in _stored_contents(apps, set(restored)):
        _update_json(row, attribute, lambda content, page_id=page_id: restore(content, page_id))


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0002_course"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
