from rest_framework import serializers

from academy.models import AccessNeed, Location, Registration, Session
from academy.selectors import Availability, CourseCard, german_course_pages, waitlist_rank
from notifications.serializers import TopicSerializer


class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Location
        fields = ["id", "name", "address", "directions", "accessibility", "step_free", "hearing_loop"]


class AvailabilitySerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["free", "waitlist", "closed"])
    free_places = serializers.IntegerField(source="free")
    waiting = serializers.IntegerField()
    label = serializers.CharField()


class SessionSerializer(serializers.ModelSerializer):
    location = LocationSerializer()

    class Meta:
        model = Session
        fields = ["id", "start", "end", "status", "capacity", "location"]


class SessionWithAvailabilitySerializer(serializers.Serializer):
    session = SessionSerializer()
    availability = AvailabilitySerializer()

    def to_representation(self, instance):
        data = SessionSerializer(instance.session).data
        data["availability"] = AvailabilitySerializer(instance.availability).data
        return data


class CourseSerializer(serializers.Serializer):
    """A course with its upcoming sessions and free places."""

    def to_representation(self, card: CourseCard):
        page = card.page
        request = self.context.get("request")
        availability: Availability = card.availability
        return {
            "id": page.pk,
            "title": page.title,
            "teaser": page.teaser,
            "level": page.level,
            "format": page.course.format,
            "price": str(page.price),
            "large_print": page.large_print,
            "url": page.get_full_url(request=request) or "",
            "locale": page.locale.language_code,
            "topics": TopicSerializer(page.topics.all(), many=True).data,
            "availability": AvailabilitySerializer(availability).data,
            "sessions": [SessionSerializer(session).data for session in card.sessions]
            if not card.session_cards
            else [SessionWithAvailabilitySerializer(item).data for item in card.session_cards],
        }


class RegistrationCreateSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    session = serializers.IntegerField(required=False, allow_null=True)
    with_companion = serializers.BooleanField(default=False)
    access_needs = serializers.ListField(child=serializers.ChoiceField(choices=AccessNeed.choices), default=list)
    access_needs_text = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RegistrationSerializer(serializers.ModelSerializer):
    """``course`` is the id of the course's German page, as in ``courses/<id>/`` and
    before courses became records of their own (docs/api.md); ``null`` once no
    German page shows the course any more."""

    course = serializers.SerializerMethodField()
    course_title = serializers.CharField(source="course.title")
    waitlist_rank = serializers.SerializerMethodField()
    session = SessionSerializer(allow_null=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "course",
            "course_title",
            "session",
            "status",
            "waitlist_rank",
            "hold_until",
            "with_companion",
            "access_needs",
            "access_needs_text",
            "created_at",
        ]

    def get_course(self, registration: Registration) -> int | None:
        pages = getattr(registration.course, "german_pages", None)
        if pages is None:
            pages = german_course_pages().queryset.filter(course_id=registration.course_id)
        return pages[0].pk if pages else None

    def get_waitlist_rank(self, registration: Registration) -> int | None:
        return waitlist_rank(registration=registration)
