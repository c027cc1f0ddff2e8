"""Generic page endpoint: any live, public page by id, with its api_fields."""

from rest_framework import generics, serializers

from django.http import Http404
from django.urls import path

from wagtail.models import Page


class PageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    title = serializers.CharField()
    locale = serializers.CharField()
    url = serializers.CharField()
    fields = serializers.DictField()

    def to_representation(self, page):
        specific = page.specific
        fields = {}
        for api_field in getattr(specific, "api_fields", []):
            name = getattr(api_field, "name", api_field)
            value = getattr(specific, name)
            fields[name] = (
                value.get_prep_value()
                if hasattr(value, "get_prep_value")
                else (value.source if hasattr(value, "source") else value)
            )
        return {
            "id": page.id,
            "type": specific._meta.label_lower,
            "title": page.title,
            "locale": page.locale.language_code,
            "url": page.get_full_url(request=self.context.get("request")) or "",
            "fields": serializers.JSONField().to_representation(fields),
        }


class PageDetailView(generics.RetrieveAPIView):
    serializer_class = PageSerializer

    def get_object(self):
        page = Page.objects.live().public().filter(pk=self.kwargs["pk"]).select_related("locale").first()
        if page is None or page.depth < 2:
            raise Http404
        return page


urlpatterns = [path("pages/<id:pk>/", PageDetailView.as_view(), name="api-page-detail")]
