"""Run by ``manage.py shell`` once after ``seed_demo``: what staff would have set up in the
admin before the journeys (a password for the editor, all-day Bollerwagen slots, a course
with one place). Prints one JSON line of ids; the journeys themselves use only HTTP and MQTT."""

import datetime
import json
import os
import sys

from django.contrib.auth import get_user_model

from academy.demo import _course, _sessions
from academy.models import AcademyIndexPage, CourseFormat, CoursePage, Location
from locker_bridge.models import Locker
from news.models import NewsIndexPage
from notifications.models import Topic
from rentals.models import ItemType

editor = get_user_model().objects.get(email="leitung@demo.norderstedt.de")
editor.set_password(os.environ["STACK_EDITOR_PASSWORD"])
editor.save()
ItemType.objects.filter(slug="bollerwagen").update(
    slot_minutes=15, opens_at=datetime.time(0, 0), closes_at=datetime.time(23, 59), lead_minutes=0
)
index = AcademyIndexPage.objects.filter(locale__language_code="de").first()
course = _course(
    index,
    slug="stack-kurs",
    title="Videotelefonie mit der Familie",
    teaser="Ein Kurs mit einem Platz.",
    course_format=CourseFormat.SERIES,
    level="beginner",
    capacity=1,
    trainer=None,
    topic=None,
)
_sessions(course, Location.objects.first(), first_day=7, count=2, every_days=7, capacity=1)
news_index = NewsIndexPage.objects.get(locale__language_code="de")
topic = Topic.objects.get(slug="verkehr-baustellen", locale__language_code="de")
locker = Locker.objects.get()
sys.stdout.write(
    json.dumps(
        {
            "news_index": news_index.pk,
            "news_path": news_index.url,
            "topic": topic.slug,
            "topic_id": topic.pk,
            "course": course.pk,
            "course_path": CoursePage.objects.get(course=course).url,
            "controller": locker.controller_id,
            "compartments": locker.compartments.count(),
        }
    )
    + "\n"
)
