"""Writes on the course record itself."""

from academy.models import Course


def course_archive_if_unshown(*, course_id: int) -> bool:
    """End a course that no page shows any more: nobody can register for it, while its
    sessions and registrations stay (docs/academy.md, "Deleting a course page").

    Returns whether the course was archived now. Idempotent.
    """
    updated = Course.objects.filter(pk=course_id, status=Course.Status.OFFERED, pages__isnull=True).update(
        status=Course.Status.ARCHIVED
    )
    return updated > 0
