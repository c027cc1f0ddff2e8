from rest_framework import serializers

from django.utils.translation import gettext_lazy as _

from ideas.models import District, Idea
from ideas.selectors.public import idea_project, idea_timeline
from notifications.selectors import topic_by_slug


class IdeaListSerializer(serializers.ModelSerializer):
    topic = serializers.CharField(source="topic.slug")
    status_label = serializers.CharField(source="get_status_display")
    support_count = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Idea
        fields = ["id", "title", "topic", "district", "status", "status_label", "support_count", "published_at", "url"]

    def get_url(self, idea: Idea) -> str:
        request = self.context.get("request")
        path = idea.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class TimelineEntrySerializer(serializers.Serializer):
    date = serializers.DateField()
    title = serializers.CharField()
    reason = serializers.CharField()
    kind = serializers.CharField()
    done = serializers.BooleanField()


class IdeaDetailSerializer(IdeaListSerializer):
    timeline = serializers.SerializerMethodField()
    project_url = serializers.SerializerMethodField()
    image_url = serializers.SerializerMethodField()

    class Meta(IdeaListSerializer.Meta):
        fields = [
            *IdeaListSerializer.Meta.fields,
            "description",
            "need",
            "image_url",
            "image_alt",
            "timeline",
            "project_url",
        ]

    def get_timeline(self, idea: Idea) -> list[dict]:
        return TimelineEntrySerializer(idea_timeline(idea=idea), many=True).data

    def get_project_url(self, idea: Idea) -> str:
        project = idea_project(idea=idea)
        return project.get_full_url(request=self.context.get("request")) or "" if project else ""

    def get_image_url(self, idea: Idea) -> str:
        return idea.image.url if idea.image else ""


class IdeaSubmitSerializer(serializers.Serializer):
    title = serializers.CharField(min_length=5, max_length=120)
    description = serializers.CharField(min_length=20, max_length=3000)
    need = serializers.CharField(min_length=10, max_length=2000)
    topic = serializers.CharField(help_text="slug of a topic, see /api/v1/topics/")
    district = serializers.ChoiceField(choices=District.choices, required=False, allow_blank=True, default="")
    image = serializers.ImageField(required=False, allow_null=True, default=None)
    image_alt = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")

    def validate_topic(self, value: str):
        topic = topic_by_slug(slug=value)
        if topic is None:
            raise serializers.ValidationError(_("Dieses Thema gibt es nicht. Die Themen stehen unter /api/v1/topics/."))
        return topic

    def validate(self, attrs):
        if attrs.get("image") and not attrs.get("image_alt", "").strip():
            raise serializers.ValidationError({"image_alt": [_("Bitte beschreiben Sie kurz, was das Bild zeigt.")]})
        return attrs


class ScoresSubmitSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.IntegerField(), allow_empty=False)
