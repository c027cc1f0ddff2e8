"""Receivers: small hand-offs to services.

- Publishing an academy index gives the Trainer group edit rights below it.
- Publishing a course with more places promotes people from the waiting list.
- Deleting the last page of a course archives the course (its records stay).
"""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from wagtail.signals import page_published

from academy.models import AcademyIndexPage, CoursePage


@receiver(page_published, sender=AcademyIndexPage, dispatch_uid="academy_index_published")
def academy_index_published(sender, instance, **kwargs):
    from academy.services.permissions import trainer_page_permissions_ensure

    trainer_page_permissions_ensure(index=instance)


@receiver(page_published, sender=CoursePage, dispatch_uid="academy_course_published")
def course_published(sender, instance, **kwargs):
    from academy.services.registrations import pools_promote

    pools_promote(course_id=instance.course_id)


@receiver(post_delete, sender=CoursePage, dispatch_uid="academy_course_page_deleted")
def course_page_deleted(sender, instance, **kwargs):
    from academy.services.courses import course_archive_if_unshown

    course_archive_if_unshown(course_id=instance.course_id)
