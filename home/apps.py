from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Startseite und Seiten")

    def ready(self) -> None:
        from accounts.registry import PersonalData, register_personal_data
        from home.personal_data import COVERS, NOT_PERSONAL, form_submissions_erase, form_submissions_export

        register_personal_data(
            PersonalData(
                key="feedback",
                export=form_submissions_export,
                erase=form_submissions_erase,
                covers=COVERS,
                not_personal=NOT_PERSONAL,
            )
        )
