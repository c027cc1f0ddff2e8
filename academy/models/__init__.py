"""The digital-skills academy ("Digitalakademie"), split by concern.

- ``courses``: ``Course``, the domain record a course is run by (format, places,
  cutoff, trainers, status). Sessions and registrations belong to it.
- ``pages``: the editorial pages. A ``CoursePage`` shows one course and points to it
  with ``PROTECT``; every translation points to the same course, so deleting, moving,
  copying or translating a page never touches citizens' bookings (docs/academy.md,
  "Data model").
- ``locations``, ``sessions``, ``registrations``: rooms, dates, places, attendance
  and the outbox to participants.
"""

from academy.models.courses import Course, CourseFormat, trainers_choice
from academy.models.locations import Location
from academy.models.pages import AcademyIndexPage, CoursePage, Level
from academy.models.registrations import AccessNeed, Attendance, ParticipantMessage, Registration
from academy.models.sessions import Session

__all__ = [
    "AcademyIndexPage",
    "AccessNeed",
    "Attendance",
    "Course",
    "CourseFormat",
    "CoursePage",
    "Level",
    "Location",
    "ParticipantMessage",
    "Registration",
    "Session",
    "trainers_choice",
]
