"""Topic endpoints (devices and subscriptions come with the push issue)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from django.urls import path

from cms.api.locale import requested_locale
from notifications.selectors import topics_for_locale
from notifications.serializers import TopicSerializer


@extend_schema(parameters=[OpenApiParameter("locale", OpenApiTypes.STR, enum=["de", "en", "de-ls"])])
class TopicListView(generics.ListAPIView):
    serializer_class = TopicSerializer
    pagination_class = None

    def get_queryset(self):
        return topics_for_locale(locale=requested_locale(self.request))


urlpatterns = [path("topics/", TopicListView.as_view(), name="api-topic-list")]
