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
        from accounts.lockout import SIGN_IN_RECORDS_COVER, sign_in_records_erase, sign_in_records_export

        register_personal_data(
            PersonalData(
                key="sign_in_records",
                export=sign_in_records_export,
                erase=sign_in_records_erase,
                covers=SIGN_IN_RECORDS_COVER,
            )
        )
