"""Wagtail's English default groups and its approval workflow that nobody can grant are gone after migrate."""

import pytest

from django.contrib.auth.models import Group

from wagtail.models import Page, Workflow, WorkflowPage

from home.services import wagtail_defaults_retire
from tests.factories.accounts import CitizenFactory

pytestmark = pytest.mark.django_db


def test_migrate_leaves_only_the_portals_groups_and_no_default_workflow_on_the_tree(staff_groups):
    names = set(Group.objects.values_list("name", flat=True))
    assert not names & {"Moderators", "Editors"}, names
    assert {"Redaktion", "Redaktionsleitung", "Trainer", "Verleih"} <= names
    assert not WorkflowPage.objects.filter(page=Page.get_first_root_node()).exists()
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()


def test_a_default_group_with_members_and_a_workflow_the_town_uses_elsewhere_stay(home):
    moderators = Group.objects.create(name="Moderators")
    moderators.user_set.add(CitizenFactory())
    workflow = Workflow.objects.create(name="Moderators approval", active=True)
    WorkflowPage.objects.create(page=home, workflow=workflow)
    wagtail_defaults_retire()
    assert Group.objects.filter(name="Moderators").exists()
    workflow.refresh_from_db()
    assert workflow.active
    assert WorkflowPage.objects.filter(page=home, workflow=workflow).exists()
