"""News endpoints: list (per locale and topic) and detail."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from django.http import Http404
from django.urls import path

from cms.api.locale import requested_locale
from news.selectors import news_for_topic, news_live, news_published_by_id
from news.serializers import NewsDetailSerializer, NewsListSerializer

LOCALE_PARAMETER = OpenApiParameter("locale", OpenApiTypes.STR, enum=["de", "en", "de-ls"])


@extend_schema(parameters=[LOCALE_PARAMETER, OpenApiParameter("topic", OpenApiTypes.STR)])
class NewsListView(generics.ListAPIView):
    serializer_class = NewsListSerializer

    def get_queryset(self):
        locale = requested_locale(self.request)
        topic = self.request.query_params.get("topic", "")
        return news_for_topic(locale=locale, topic_slug=topic) if topic else news_live(locale=locale)


class NewsDetailView(generics.RetrieveAPIView):
    serializer_class = NewsDetailSerializer

    def get_object(self):
        page = news_published_by_id(page_id=self.kwargs["pk"])
        if page is None:
            raise Http404
        return page


urlpatterns = [
    path("news/", NewsListView.as_view(), name="api-news-list"),
    path("news/<id:pk>/", NewsDetailView.as_view(), name="api-news-detail"),
]
