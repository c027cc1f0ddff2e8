"""Reads of the Ideenspeicher: ``public`` for citizens, ``evaluation`` for working groups."""

from ideas.selectors.public import idea_index_context, projects_live

__all__ = ["idea_index_context", "projects_live"]
