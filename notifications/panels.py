"""The editor's view of a page's pushes: whether and when it was pushed."""

from wagtail.admin.panels import Panel

from notifications.selectors import campaigns_for_page


class PushStatusPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "notifications/admin/push_status_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            context["campaigns"] = campaigns_for_page(page=page) if page is not None and page.pk else []
            return context
