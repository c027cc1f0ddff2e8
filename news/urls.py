from django.urls import path

from news.feeds import NewsAtomFeed, NewsRssFeed

app_name = "news"
urlpatterns = [
    path("nachrichten.rss", NewsRssFeed(), name="feed_rss"),
    path("nachrichten.atom", NewsAtomFeed(), name="feed_atom"),
    path("nachrichten/<slug:topic>.rss", NewsRssFeed(), name="topic_feed_rss"),
    path("nachrichten/<slug:topic>.atom", NewsAtomFeed(), name="topic_feed_atom"),
]
