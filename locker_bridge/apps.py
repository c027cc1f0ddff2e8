from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LockerBridgeConfig(AppConfig):
    name = "locker_bridge"
    verbose_name = _("Schließfachanlagen")
