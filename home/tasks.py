"""Tasks of the site search index: thin functions that call ``home.search_index``. Idempotent."""

from django_q.tasks import async_task

from django.db import transaction

from home.search_index import search_entries_refresh, search_index_rebuild


def search_entries_refresh_task(kind: str, key: str) -> int:
    return search_entries_refresh(kind=kind, key=key)


def search_index_rebuild_task() -> int:
    """Hourly (``cms.schedules``): catches what no signal reports, such as a course's new dates."""
    return search_index_rebuild()


def enqueue_search_entries_refresh(*, kind: str, key: str) -> None:
    """After commit, so the task reads what was saved; a doubled refresh writes the same rows."""
    transaction.on_commit(
        lambda: async_task(
            "home.tasks.search_entries_refresh_task", kind, str(key), task_name=f"search-{kind}-{key}"[:100]
        )
    )
