"""Academy factories: courses with their pages in the tree (published), locations, sessions, people."""

import datetime
import itertools

import factory

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from wagtail.models import Page

from academy.models import AcademyIndexPage, Course, CourseFormat, CoursePage, Location, Session

_numbers = itertools.count(1)


def academy_index_create(*, parent: Page, title: str = "Digitalakademie", slug: str = "akademie") -> AcademyIndexPage:
    index = parent.add_child(instance=AcademyIndexPage(title=title, slug=slug, locale=parent.locale))
    index.save_revision().publish()
    return index


def citizen_create(*, email: str = "") -> object:
    number = next(_numbers)
    email = email or f"buerger{number}@example.org"
    return get_user_model().objects.create_user(username=f"b{number}-{email}", email=email)


def trainer_create(*, email: str = "") -> object:
    number = next(_numbers)
    user = get_user_model().objects.create_user(
        username=f"t{number}", email=email or f"trainer{number}@example.org", password="pw", is_staff=True
    )
    user.groups.add(Group.objects.get_or_create(name="Trainer")[0])
    return user


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Raum {n}")
    address = "Rathausallee 50, 22846 Norderstedt"
    step_free = True


def course_create(
    *,
    index: AcademyIndexPage,
    title: str = "",
    format: str = CourseFormat.SERIES,
    capacity: int = 10,
    cutoff_hours: int = 24,
    trainers=(),
    topics=(),
    **fields,
) -> CoursePage:
    """A ``Course`` and the published page that shows it; returns the page (``page.course``)."""
    number = next(_numbers)
    title = title or f"Kurs {number}"
    course = Course.objects.create(title=title, format=format, capacity=capacity, cutoff_hours=cutoff_hours)
    if trainers:
        course.trainers.set(trainers)
    page = CoursePage(
        course=course,
        title=title,
        slug=f"kurs-{number}",
        teaser="Ein Kurs für Einsteiger.",
        description="<p>Beschreibung.</p>",
        locale=index.locale,
        **{"push_on_publish": False, **fields},
    )
    index.add_child(instance=page)
    if topics:
        page.topics.set(topics)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def session_create(
    *,
    course: Course | CoursePage,
    start: datetime.datetime | None = None,
    capacity: int = 10,
    location=None,
    hours: int = 2,
) -> Session:
    """A session of a course; a course page stands for the course it shows."""
    course = course.course if isinstance(course, CoursePage) else course
    start = start or timezone.now() + datetime.timedelta(days=7)
    return Session.objects.create(
        course=course,
        start=start,
        end=start + datetime.timedelta(hours=hours),
        capacity=capacity,
        location=location or LocationFactory(),
    )
