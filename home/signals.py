"""Receivers that keep the site search index fresh: each hands off to a task after commit."""

from home.tasks import enqueue_search_entries_refresh


def on_page_changed(sender, instance, **kwargs) -> None:
    """``page_published``, ``page_unpublished`` and ``post_delete`` of a page."""
    enqueue_search_entries_refresh(kind="page", key=instance.translation_key)


def on_item_type_changed(sender, instance, **kwargs) -> None:
    enqueue_search_entries_refresh(kind="item_type", key=instance.translation_key)


def on_idea_changed(sender, instance, **kwargs) -> None:
    enqueue_search_entries_refresh(kind="idea", key=instance.pk)
