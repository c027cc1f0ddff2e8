from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = _("Ideenspeicher")

    def ready(self) -> None:
        from accounts.registry import AccountSection, PersonalData, register_personal_data, register_section
        from ideas import signals  # noqa: F401
        from ideas.services.personal_data import COVERS, NOT_PERSONAL, ideas_erase, ideas_export
        from ideas.views import account_section_context

        register_section(
            AccountSection(
                key="ideas",
                title=_("Meine Ideen"),
                template="ideas/account_section.html",
                context=account_section_context,
                order=40,
            )
        )
        register_personal_data(
            PersonalData(key="ideas", export=ideas_export, erase=ideas_erase, covers=COVERS, not_personal=NOT_PERSONAL)
        )
