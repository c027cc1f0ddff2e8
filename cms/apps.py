from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The project itself: base templates, static files, API conventions, management commands."""

    name = "cms"
    verbose_name = "Norderstedt GO!"

    def ready(self):
        from cms import checks  # noqa: F401 - registers the deployment checks
