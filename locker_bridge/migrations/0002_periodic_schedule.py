"""Create the django-q schedule of the bridge's periodic job on every ``migrate``; index events by age; alert on clock skew.

Same values as the job in ``cms.schedules`` (idempotent on
the schedule's name), so production gets the reaper and health check without a
manual step.
"""

from django.db import migrations, models


def schedule_create(apps, schema_editor):
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        name="locker_bridge_periodic",
        defaults={
            "func": "locker_bridge.tasks.locker_periodic_task",
            "schedule_type": "I",
            "minutes": 1,
            "repeats": -1,
        },
    )


def schedule_delete(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name="locker_bridge_periodic").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("locker_bridge", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alert",
            name="kind",
            field=models.CharField(
                choices=[
                    ("offline", "Anlage nicht erreichbar"),
                    ("door_left_open", "Tür zu lange offen"),
                    ("state_mismatch", "Zustand weicht ab"),
                    ("tamper", "Manipulation gemeldet"),
                    ("command_failed", "Befehl fehlgeschlagen"),
                    ("late_open", "Öffnung nach Ablauf gemeldet"),
                    ("clock_skew", "Uhr der Anlage geht falsch"),
                ],
                max_length=16,
                verbose_name="Art",
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["received_at"], name="event_received_idx"),
        ),
        migrations.RunPython(schedule_create, schedule_delete),
    ]
