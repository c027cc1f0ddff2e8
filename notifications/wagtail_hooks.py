from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from notifications import admin_views
from notifications.admin_views import REPORT_PERMISSION


@hooks.register("register_admin_urls")
def register_campaign_report_urls():
    return [
        path("reports/versaende/", admin_views.campaign_report, name="notifications_campaign_report"),
        path("reports/versaende/fortschritt/", admin_views.campaign_progress, name="notifications_campaign_progress"),
    ]


class CampaignReportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(REPORT_PERMISSION)


@hooks.register("register_reports_menu_item")
def register_campaign_report_menu_item():
    return CampaignReportMenuItem(
        _("Versände (Push)"), reverse("notifications_campaign_report"), icon_name="mail", order=700
    )
