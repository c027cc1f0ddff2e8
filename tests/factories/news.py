"""News factories that build pages in the tree, published, as editors would."""

import datetime

import factory

from django.utils import timezone

from wagtail.models import Page

from news.models import NewsIndexPage, NewsPage


def news_index_create(*, parent: Page, title: str = "Nachrichten", slug: str = "nachrichten") -> NewsIndexPage:
    index = parent.add_child(instance=NewsIndexPage(title=title, slug=slug, locale=parent.locale))
    index.save_revision().publish()
    return index


class NewsPageFactory(factory.Factory):
    """``NewsPageFactory(parent=index, topics=[topic])`` adds a published news page."""

    class Meta:
        model = NewsPage

    title = factory.Sequence(lambda n: f"Nachricht {n}")
    slug = factory.Sequence(lambda n: f"nachricht-{n}")
    teaser = factory.LazyAttribute(lambda page: f"Kurz gesagt: {page.title}.")
    date = factory.Sequence(lambda n: timezone.localdate() - datetime.timedelta(days=n % 300))
    body = factory.LazyAttribute(lambda page: [{"type": "paragraph", "value": f"<p>Text zu {page.title}.</p>"}])
    push_on_publish = False

    @classmethod
    def _create(cls, model_class, *args, parent: Page, topics=(), publish: bool = True, **kwargs):
        page = model_class(*args, live=publish, **kwargs)
        parent.add_child(instance=page)
        if topics:
            page.topics.set(topics)
        revision = page.save_revision()
        if publish:
            revision.publish()
        page.refresh_from_db()
        return page

    @classmethod
    def _build(cls, model_class, *args, parent=None, topics=(), publish=True, **kwargs):
        return model_class(*args, **kwargs)
