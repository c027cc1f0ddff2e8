"""Sessions and registrations belong to the course record (``PROTECT``); course pages
point to it and lose the fields that moved there."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import academy.models

ACTIVE = ["confirmed", "held", "waiting"]


class Migration(migrations.Migration):
    dependencies = [
        ("academy", "0003_course_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="registration", name="academy_one_active_series_registration"),
        migrations.RemoveConstraint(model_name="registration", name="academy_series_waitlist_position_unique"),
        migrations.RemoveField(model_name="session", name="course"),
        migrations.RemoveField(model_name="registration", name="course"),
        migrations.RenameField(model_name="session", old_name="course_record", new_name="course"),
        migrations.RenameField(model_name="registration", old_name="course_record", new_name="course"),
        migrations.RenameField(model_name="coursepage", old_name="course_record", new_name="course"),
        migrations.AlterField(
            model_name="session",
            name="course",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sessions",
                to="academy.course",
                verbose_name="Kurs",
            ),
        ),
        migrations.AlterField(
            model_name="registration",
            name="course",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="registrations",
                to="academy.course",
                verbose_name="Kurs",
            ),
        ),
        migrations.AlterField(
            model_name="coursepage",
            name="course",
            field=models.ForeignKey(
                help_text="Form, Plätze, Anmeldeschluss und Kursleitung stehen beim Kurs (Snippets → Kurse).",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="pages",
                to="academy.course",
                verbose_name="Kurs",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                condition=models.Q(("session__isnull", True), ("status__in", ACTIVE), ("user__isnull", False)),
                fields=("user", "course"),
                name="academy_one_active_series_registration",
            ),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                condition=models.Q(("session__isnull", True), ("waitlist_position__isnull", False)),
                fields=("course", "waitlist_position"),
                name="academy_series_waitlist_position_unique",
            ),
        ),
        migrations.RemoveField(model_name="coursepage", name="format"),
        migrations.RemoveField(model_name="coursepage", name="capacity"),
        migrations.RemoveField(model_name="coursepage", name="cutoff_hours"),
        migrations.RemoveField(model_name="coursepage", name="trainers"),
        migrations.AlterField(
            model_name="course",
            name="trainers",
            field=models.ManyToManyField(
                blank=True,
                limit_choices_to=academy.models.trainers_choice,
                related_name="academy_courses",
                to=settings.AUTH_USER_MODEL,
                verbose_name="Kursleitung",
            ),
        ),
        migrations.AlterModelOptions(
            name="coursepage", options={"verbose_name": "Kursseite", "verbose_name_plural": "Kursseiten"}
        ),
    ]
