from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate, post_save


class CmsConfig(AppConfig):
    """The project itself: base templates, static files, API conventions, management
    commands, the periodic jobs (``cms.schedules``) and the deployment checks."""

    name = "cms"
    verbose_name = "Norderstedt GO!"

    def ready(self):
        from django.urls import register_converter

        from wagtail.models import Revision

        from cms import (
            checks,  # noqa: F401 - registers the deployment checks
            signals,
        )
        from cms.converters import IdConverter

        # Django sends post_migrate only for apps with models; django-q2 owns the
        # Schedule table, so its migrations are the moment the table is there.
        post_migrate.connect(
            signals.on_post_migrate, sender=apps.get_app_config("django_q"), dispatch_uid="cms-post-migrate"
        )
        post_save.connect(signals.on_revision_saved, sender=Revision, dispatch_uid="cms-revision-saved")
        register_converter(IdConverter, "id")

        from wagtail.admin.widgets.chooser import BaseChooser

        from cms.script_nonce import chooser_render_with_nonce

        # Wagtail's choosers end their HTML with an inline start-up script (cms/script_nonce.py).
        BaseChooser.render = chooser_render_with_nonce(BaseChooser.render)

        from accounts.registry import PersonalData, register_personal_data
        from cms.personal_data import COVERS, idempotency_keys_erase, idempotency_keys_export

        register_personal_data(
            PersonalData(key="api_retries", export=idempotency_keys_export, erase=idempotency_keys_erase, covers=COVERS)
        )
