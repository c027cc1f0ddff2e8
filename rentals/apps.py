from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RentalsConfig(AppConfig):
    name = "rentals"
    verbose_name = _("Verleih")

    def ready(self) -> None:
        from accounts.registry import AccountSection, register_section
        from rentals import signals  # noqa: F401
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
