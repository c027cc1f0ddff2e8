"""Courses become domain records (issue 18): create ``Course`` and the new, still
empty links to it. 0003 moves the data, 0004 drops the page links. Three migrations,
so PostgreSQL never alters a table with pending foreign-key checks from the data step."""

import django.db.models.deletion
import modelsearch.index
from django.conf import settings
from django.db import migrations, models

import academy.models


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Course",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "title",
                    models.CharField(
                        help_text="Steht im Bereich Kurstermine, auf der Anrufliste und in Nachrichten an Teilnehmende.",
                        max_length=255,
                        verbose_name="Name",
                    ),
                ),
                (
                    "format",
                    models.CharField(
                        choices=[
                            ("series", "Kursreihe: Anmeldung für alle Termine"),
                            ("drop_in", "Offener Treff: Anmeldung je Termin"),
                            ("consultation", "Sprechstunde: Einzeltermine"),
                        ],
                        default="series",
                        max_length=15,
                        verbose_name="Form",
                    ),
                ),
                (
                    "capacity",
                    models.PositiveSmallIntegerField(
                        default=12,
                        help_text="Nur für Kursreihen. Offene Treffs und Sprechstunden nutzen die Plätze je Termin.",
                        verbose_name="Plätze (Kursreihe)",
                    ),
                ),
                (
                    "cutoff_hours",
                    models.PositiveSmallIntegerField(default=24, verbose_name="Anmeldeschluss (Stunden vor Beginn)"),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("offered", "wird angeboten"), ("archived", "beendet")],
                        default="offered",
                        help_text="Für einen beendeten Kurs ist keine Anmeldung mehr möglich. Anmeldungen und Termine bleiben.",
                        max_length=10,
                        verbose_name="Status",
                    ),
                ),
                (
                    "trainers",
                    models.ManyToManyField(
                        blank=True,
                        limit_choices_to=academy.models.trainers_choice,
                        related_name="academy_course_records",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="Kursleitung",
                    ),
                ),
            ],
            options={"verbose_name": "Kurs", "verbose_name_plural": "Kurse", "ordering": ["title"]},
            bases=(modelsearch.index.Indexed, models.Model),
        ),
        migrations.AddField(
            model_name="coursepage",
            name="course_record",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="pages", to="academy.course"
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="course_record",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="sessions", to="academy.course"
            ),
        ),
        migrations.AddField(
            model_name="registration",
            name="course_record",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="registrations",
                to="academy.course",
            ),
        ),
        # Nullable for the way back: 0004's reversal re-adds the page links empty
        # and 0003's reversal fills them before this is reversed.
        migrations.AlterField(
            model_name="session",
            name="course",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sessions",
                to="academy.coursepage",
                verbose_name="Kurs",
            ),
        ),
        migrations.AlterField(
            model_name="registration",
            name="course",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="registrations",
                to="academy.coursepage",
            ),
        ),
    ]
