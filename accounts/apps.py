from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Bürgerkonten")

    def ready(self) -> None:
        from accounts import signals  # noqa: F401
        from accounts.personal_data import COVERS, NOT_PERSONAL, account_core_erase, account_core_export
        from accounts.registry import PersonalData, register_personal_data

        register_personal_data(
            PersonalData(
                key="account",
                export=account_core_export,
                erase=account_core_erase,
                covers=COVERS,
                not_personal=NOT_PERSONAL,
            )
        )
