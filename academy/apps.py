from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcademyConfig(AppConfig):
    name = "academy"
    verbose_name = _("Digitalakademie")

    def ready(self) -> None:
        from academy import signals  # noqa: F401 - connects the receivers
        from academy.selectors import registrations_for_account
        from academy.services.personal_data import COVERS, NOT_PERSONAL, registrations_erase, registrations_export
        from accounts.registry import AccountSection, PersonalData, register_personal_data, register_section

        register_section(
            AccountSection(
                key="academy",
                title=_("Meine Kurse"),
                template="academy/account_section.html",
                context=registrations_for_account,
                order=20,
            )
        )
        register_personal_data(
            PersonalData(
                key="academy_registrations",
                export=registrations_export,
                erase=registrations_erase,
                covers=COVERS,
                not_personal=NOT_PERSONAL,
            )
        )
