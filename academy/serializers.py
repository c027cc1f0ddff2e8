from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from academy.models import AccessNeed, CourseFormat, Level, Location, Registration, Session
from academy.selectors import Availability, CourseCard, SessionCard, german_course_pages, waitlist_rank
from cms.api.fields import IdField
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


@extend_schema_field({"$ref": "#/components/schemas/SessionStatusEnum"})
class SessionStatusField(serializers.ChoiceField):
    """The session's status in the serializers that extend ``SessionSerializer``: they point at the
    ``Session`` component's enum, so drf-spectacular names it ``SessionStatusEnum`` and not after a hash."""

    def __init__(self, **kwargs):
        super().__init__(choices=Session.Status.choices, **kwargs)


class SessionWithAvailabilitySerializer(SessionSerializer):
    """A session with its own free places (drop-ins and consultations are booked per session)."""

    status = SessionStatusField()
    availability = AvailabilitySerializer()

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "availability"]

    def to_representation(self, card: SessionCard):
        data = SessionSerializer(card.session).data
        data["availability"] = AvailabilitySerializer(card.availability).data
        return data


class SessionListItemSerializer(SessionWithAvailabilitySerializer):
    """An entry of ``sessions/``: the session, its free places and its course's page id."""

    course = serializers.IntegerField(help_text="id of the course's page, as in courses/<id>/")

    class Meta(SessionWithAvailabilitySerializer.Meta):
        fields = ["course", *SessionWithAvailabilitySerializer.Meta.fields]

    def to_representation(self, entry: tuple[int, SessionCard]):
        course, card = entry
        return {"course": course, **super().to_representation(card)}


class CourseSessionSerializer(SessionSerializer):
    """A session in a course card; ``availability`` only where places are counted per session."""

    status = SessionStatusField()
    availability = AvailabilitySerializer(required=False)

    class Meta(SessionSerializer.Meta):
        fields = [*SessionSerializer.Meta.fields, "availability"]


class CourseSerializer(serializers.Serializer):
    """A course with its upcoming sessions and free places (fields declared for the schema)."""

    id = serializers.IntegerField(help_text="id of the course's page")
    title = serializers.CharField()
    teaser = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    format = serializers.ChoiceField(choices=CourseFormat.choices)
    price = serializers.DecimalField(max_digits=6, decimal_places=2)
    large_print = serializers.BooleanField()
    url = serializers.CharField()
    locale = serializers.CharField()
    topics = TopicSerializer(many=True)
    availability = AvailabilitySerializer()
    sessions = CourseSessionSerializer(many=True)

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
    course = IdField(help_text="id of the course's page, as in courses/<id>/")
    session = IdField(required=False, allow_null=True)
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
