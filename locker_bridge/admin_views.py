"""The controller status page in the Wagtail admin: controllers, compartments, commands, alerts."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from locker_bridge import selectors
from locker_bridge.models import Alert
from locker_bridge.services import alert_acknowledge


class ControllerStatusView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Schließfachanlagen")
    header_icon = "lock"
    template_name = "locker_bridge/admin/status.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lockers=selectors.lockers_with_compartments(),
            alerts=selectors.alerts_open(),
            acknowledged=selectors.alerts_recently_acknowledged(),
            commands=selectors.commands_recent(),
            **kwargs,
        )


status = permission_required("locker_bridge.view_locker", raise_exception=True)(ControllerStatusView.as_view())


@require_POST
@permission_required("locker_bridge.change_alert", raise_exception=True)
def alert_acknowledge_view(request, alert_id: int):
    alert_acknowledge(alert=get_object_or_404(Alert, pk=alert_id), user=request.user)
    messages.success(request, _("Warnung bestätigt."))
    return redirect("locker_bridge_admin:status")
