"""Writes that set up the site: locales, the page tree's root and staff groups.

All of them are idempotent, so ``seed_demo`` and deployments can run them again.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.models import HomePage

EDITORS = "Redaktion"
EDITOR_LEADS = "Redaktionsleitung"
TRAINERS = "Trainer"
RENTAL_STAFF = "Verleih"
NEWS_WORKFLOW = "Nachrichten-Freigabe"
# The controller status page (locker_bridge): Verleih sees it and acknowledges alerts.
LOCKER_STAFF_PERMISSIONS = [
    ("locker_bridge", "locker", ["view_locker"]),
    ("locker_bridge", "alert", ["view_alert", "change_alert"]),
]

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
EDITOR_MODEL_PERMISSIONS = [
    ("wagtailadmin", "admin", ["access_admin"]),
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
    ("notifications", "topic", ["add_topic", "change_topic", "view_topic"]),
    ("notifications", "campaign", ["view_campaign"]),
    ("wagtail_localize", "translation", ["submit_translation"]),
    ("academy", "course", ["add_course", "change_course", "view_course"]),
    ("academy", "location", ["add_location", "change_location", "delete_location", "view_location"]),
    ("academy", "session", ["manage_all_sessions"]),
]
RENTAL_STAFF_MODEL_PERMISSIONS = [
    ("rentals", "reservation", ["add_reservation", "change_reservation", "view_reservation"]),
    ("rentals", "item", ["add_item", "change_item", "view_item"]),
    ("rentals", "itemtype", ["add_itemtype", "change_itemtype", "view_itemtype"]),
    ("rentals", "location", ["change_location", "view_location"]),
    ("rentals", "maintenanceblock", ["add_maintenanceblock", "view_maintenanceblock"]),
    ("rentals", "accesslogentry", ["view_accesslogentry"]),
]


def locales_ensure() -> dict[str, Locale]:
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code, _name in settings.LANGUAGES}


@transaction.atomic
def site_ensure(*, title: str = "Willkommen in Norderstedt") -> HomePage:
    """The German home page as the default site's root, replacing Wagtail's placeholder."""
    locales = locales_ensure()
    home = HomePage.objects.filter(locale=locales["de"]).first()
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locales["de"]))
    if Collection.get_first_root_node() is None:  # images and documents need the root collection
        Collection.add_root(name="Root")
    if home is None:
        home = root.add_child(instance=HomePage(title=title, slug="start", locale=locales["de"]))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        hostname, port = site_address()
        site = Site.objects.create(hostname=hostname, port=port, root_page=home, is_default_site=True)
    if site.root_page_id != home.id:
        placeholder = site.root_page
        site.root_page = home
        site.site_name = "Norderstedt GO!"
        site.save()
        if placeholder.specific_class is Page and placeholder.depth == 2:
            placeholder.delete()
    site_address_apply()
    return home


def site_address() -> tuple[str, int]:
    """The default Site's hostname and port, as ``SITE_URL`` says.

    Wagtail builds every page's absolute URL (``get_full_url``: push payloads,
    e-mails, the API's ``url`` fields, the sitemap, iCal) from the Site record,
    so the record must say what ``SITE_URL`` says. Wagtail writes ``https`` only
    for port 443; ``cms.checks`` warns about a ``SITE_URL`` it cannot express.
    """
    parts = urlsplit(settings.SITE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def site_address_apply() -> bool:
    """Give the default Site the address of ``SITE_URL`` (after every ``migrate``
    and in ``seed_demo``). Returns whether it changed anything."""
    hostname, port = site_address()
    changed = False
    for site in Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])  # save() also clears Wagtail's root-path cache
        changed = True
    return changed


def _submit_translation_permission_ensure() -> None:
    """wagtail-localize creates this permission in a data migration, not in a model's
    Meta, so a database flushed after migrating (transactional tests) lacks it."""
    content_type = ContentType.objects.filter(app_label="wagtail_localize", model="translation").first()
    if content_type is not None:
        Permission.objects.get_or_create(
            content_type=content_type, codename="submit_translation", defaults={"name": "Can submit translations"}
        )


def _model_permissions(specs) -> list[Permission]:
    permissions = []
    for app_label, model, codenames in specs:
        try:
            content_type = ContentType.objects.get(app_label=app_label, model=model)
        except ContentType.DoesNotExist:
            continue
        permissions += list(Permission.objects.filter(content_type=content_type, codename__in=codenames))
    return permissions


@transaction.atomic
def staff_groups_ensure(*, home: Page) -> dict[str, Group]:
    """Redaktion edits and publishes everything below the home pages; Redaktionsleitung
    also approves in the news workflow. Trainer and Verleih get admin access; the
    academy and rentals apps add their own permissions to these groups."""
    wagtail_defaults_retire()
    groups = {
        name: Group.objects.get_or_create(name=name)[0] for name in (EDITORS, EDITOR_LEADS, TRAINERS, RENTAL_STAFF)
    }
    _submit_translation_permission_ensure()
    editor_permissions = _model_permissions(EDITOR_MODEL_PERMISSIONS)
    admin_access = _model_permissions([("wagtailadmin", "admin", ["access_admin"])])
    for name in (EDITORS, EDITOR_LEADS):
        groups[name].permissions.add(*editor_permissions)
    for name in (TRAINERS, RENTAL_STAFF):
        groups[name].permissions.add(*admin_access)
    groups[RENTAL_STAFF].permissions.add(*_model_permissions(RENTAL_STAFF_MODEL_PERMISSIONS))
    groups[RENTAL_STAFF].permissions.add(*_model_permissions(LOCKER_STAFF_PERMISSIONS))
    root = Page.get_first_root_node()
    for codename in EDITOR_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        for name in (EDITORS, EDITOR_LEADS):
            GroupPagePermission.objects.get_or_create(group=groups[name], page=root, permission=permission)
    return groups


# What Wagtail's own migrations create: English group names and an approval workflow on the whole
# tree whose only approvers are the "Moderators" group, which nobody at the town belongs to.
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


@transaction.atomic
def wagtail_defaults_retire() -> None:
    """Remove Wagtail's default groups and workflow while nobody uses them (idempotent).

    The portal has its own German groups (``staff_groups_ensure``) and its own, optional news
    workflow. A default group that has members is left alone, and so is a default workflow that
    someone renamed or put on other pages: that is the town's own choice.
    """
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()
    for workflow in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW):
        root = Page.get_first_root_node()
        pages = set(WorkflowPage.objects.filter(workflow=workflow).values_list("page_id", flat=True))
        if pages <= {getattr(root, "pk", None)}:
            WorkflowPage.objects.filter(workflow=workflow).delete()
            workflow.deactivate()


@transaction.atomic
def news_workflow_ensure(*, news_index: Page, active: bool = False) -> Workflow:
    """The optional moderation workflow: an editor submits, Redaktionsleitung approves.

    Created inactive: the town switches it on in Einstellungen → Workflows.
    """
    workflow, created = Workflow.objects.get_or_create(name=NEWS_WORKFLOW, defaults={"active": active})
    if created:
        task = GroupApprovalTask.objects.create(name="Freigabe durch die Redaktionsleitung")
        task.groups.set([Group.objects.get_or_create(name=EDITOR_LEADS)[0]])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.get_or_create(page=news_index, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def translation_save(*, instance, locale: Locale, strings: dict[str, str], publish: bool = True):
    """Translate a page or snippet through wagtail-localize, as an editor would.

    ``strings`` maps source text to its translation; anything not given falls
    back to the source text. The wagtail-localize ``TranslationSource`` is
    refreshed first, so calling this again after the source changed is the
    "sync" step editors trigger with "Übersetzte Seiten synchronisieren".
    """
    from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

    source, created = TranslationSource.get_or_create_from_instance(instance)
    if not created:
        source.update_from_db()
    translation, _created = Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = strings.get(segment.string.data)
        if text:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": text, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
            )
    is_page = isinstance(instance, Page)
    # wagtail-localize publishes pages in transaction.on_commit; publishing the
    # new revision here instead keeps this service's result the same inside a
    # surrounding transaction (seed_demo, tests) as outside one.
    translation.save_target(publish=publish and not is_page)
    translated = source.get_translated_instance(locale)
    if is_page:
        _numchild_repair(translated)
        if publish:
            translated.get_latest_revision().publish()
            translated.refresh_from_db()
    return translated


def _numchild_repair(page: Page) -> None:
    """wagtail-localize rebuilds an existing translation from the source's stored
    copy, which carries the source's tree counter; recount the children from the
    tree itself so routing below the translated page keeps working."""
    children = Page.objects.filter(path__startswith=page.path, depth=page.depth + 1).count()
    if page.numchild != children:
        Page.objects.filter(pk=page.pk).update(numchild=children)
        page.numchild = children
