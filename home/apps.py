from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Startseite und Seiten")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from wagtail.models import Page
        from wagtail.signals import page_published, page_unpublished

        from home import signals

        page_published.connect(signals.on_page_changed, dispatch_uid="search-page-published")
        page_unpublished.connect(signals.on_page_changed, dispatch_uid="search-page-unpublished")
        post_delete.connect(signals.on_page_changed, sender=Page, dispatch_uid="search-page-deleted")
        post_save.connect(signals.on_item_type_changed, sender="rentals.ItemType", dispatch_uid="search-item-type")
        post_delete.connect(
            signals.on_item_type_changed, sender="rentals.ItemType", dispatch_uid="search-item-type-gone"
        )
        post_save.connect(signals.on_idea_changed, sender="ideas.Idea", dispatch_uid="search-idea")
        post_delete.connect(signals.on_idea_changed, sender="ideas.Idea", dispatch_uid="search-idea-gone")
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
