from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RentalsConfig(AppConfig):
    name = "rentals"
    verbose_name = _("Verleih")

    def ready(self) -> None:
        from accounts.registry import AccountSection, PersonalData, register_personal_data, register_section
        from rentals import signals  # noqa: F401
        from rentals.services.personal_data import COVERS, NOT_PERSONAL, reservations_erase, reservations_export
        from rentals.views import account_section_context

        register_section(
            AccountSection(
                key="rentals",
                title=_("Meine Reservierungen"),
                template="rentals/account_section.html",
                context=account_section_context,
                order=30,
            )
        )
        register_personal_data(
            PersonalData(
                key="rental_reservations",
                export=reservations_export,
                erase=reservations_erase,
                covers=COVERS,
                not_personal=NOT_PERSONAL,
            )
        )
