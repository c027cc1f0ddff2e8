"""Milestone announcements; the milestones that exist already count as announced.

Without the backfill, the next publication of every project would tell its
followers about each of its existing milestones at once.
"""

import django.db.models.deletion
from django.db import migrations, models


def existing_milestones_announced(apps, schema_editor):
    ProjectMilestone = apps.get_model("ideas", "ProjectMilestone")
    MilestoneAnnouncement = apps.get_model("ideas", "MilestoneAnnouncement")
    MilestoneAnnouncement.objects.bulk_create(
        [
            MilestoneAnnouncement(milestone_id=milestone_id, done=done)
            for milestone_id, done in ProjectMilestone.objects.values_list("pk", "done")
        ]
    )


class Migration(migrations.Migration):

    dependencies = [
        ('ideas', '0002_trigram_extension'),
    ]

    operations = [
        migrations.CreateModel(
            name='MilestoneAnnouncement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('done', models.BooleanField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('milestone', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='announcements', to='ideas.projectmilestone')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('milestone', 'done'), name='milestone_announced_once_per_state')],
            },
        ),
        migrations.RunPython(existing_milestones_announced, migrations.RunPython.noop),
    ]
