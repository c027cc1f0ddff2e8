from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Benachrichtigungen")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from wagtail.signals import page_published

        from accounts.registry import AccountSection, PersonalData, register_personal_data, register_section
        from notifications import checks, signals  # noqa: F401 - checks registers the deployment checks
        from notifications.selectors import notifications_for_account
        from notifications.services.personal_data import (
            COVERS,
            NOT_PERSONAL,
            notifications_erase,
            notifications_export,
        )

        page_published.connect(signals.on_page_published, dispatch_uid="notifications-page-published")
        post_migrate.connect(signals.on_post_migrate, sender=self, dispatch_uid="notifications-post-migrate")
        user_logged_in.connect(signals.on_user_logged_in, dispatch_uid="notifications-user-logged-in")
        register_section(
            AccountSection(
                key="notifications",
                title=_("Benachrichtigungen"),
                template="notifications/account_section.html",
                context=notifications_for_account,
                order=40,
            )
        )
        register_personal_data(
            PersonalData(
                key="notifications",
                export=notifications_export,
                erase=notifications_erase,
                covers=COVERS,
                not_personal=NOT_PERSONAL,
            )
        )
