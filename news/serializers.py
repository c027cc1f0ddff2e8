from rest_framework import serializers

from news.models import NewsPage
from notifications.serializers import TopicSerializer


class NewsListSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    locale = serializers.CharField(source="locale.language_code")
    topics = TopicSerializer(many=True)

    class Meta:
        model = NewsPage
        fields = ["id", "title", "teaser", "date", "url", "locale", "topics", "first_published_at"]

    def get_url(self, page: NewsPage) -> str:
        return page.get_full_url(request=self.context.get("request")) or ""


class NewsDetailSerializer(NewsListSerializer):
    body = serializers.SerializerMethodField()

    class Meta(NewsListSerializer.Meta):
        fields = [*NewsListSerializer.Meta.fields, "body"]

    def get_body(self, page: NewsPage) -> list[dict]:
        return page.body.get_prep_value()
