"""RSS and Atom feeds of the news, overall and per topic."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from wagtail.models import Locale

from cms.links import absolute_url
from news.selectors import news_for_topic, news_live
from notifications.selectors import topic_by_slug

FEED_LENGTH = 30


class NewsRssFeed(Feed):
    """News of the active locale; ``topic`` narrows it to one topic."""

    def get_object(self, request, topic: str = ""):
        locale = Locale.get_active()
        found = topic_by_slug(slug=topic, locale=locale) if topic else None
        if topic and found is None:
            raise Http404(_("Dieses Thema gibt es nicht."))
        self.request = request
        return {"locale": locale, "topic": found}

    def title(self, obj):
        if obj["topic"]:
            return _("Norderstedt GO! – Nachrichten: %(topic)s") % {"topic": obj["topic"].name}
        return _("Norderstedt GO! – Nachrichten")

    def link(self, obj):
        return absolute_url("/")

    def feed_url(self, obj):
        return absolute_url(self.request.path)

    def description(self, obj):
        return _("Aktuelle Nachrichten der Stadt Norderstedt")

    def items(self, obj):
        if obj["topic"]:
            return news_for_topic(locale=obj["locale"], topic_slug=obj["topic"].slug)[:FEED_LENGTH]
        return news_live(locale=obj["locale"])[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.teaser

    def item_link(self, item):
        return item.get_full_url(request=self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed
    subtitle = NewsRssFeed.description
