"""Academy endpoints: courses and sessions with free places; register, cancel,
leave the waiting list, confirm a hold; my registrations."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from django.urls import path
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from academy.models import CoursePage, Registration
from academy.selectors import (
    ACCESS_FILTERS,
    course_card,
    courses_upcoming,
    german_course_pages,
    session_availabilities,
)
from academy.serializers import (
    CourseSerializer,
    RegistrationCreateSerializer,
    RegistrationSerializer,
    SessionListItemSerializer,
)
from academy.services.registrations import (
    RegistrationError,
    registration_cancel,
    registration_create,
    registration_hold_confirm,
    registration_waitlist_leave,
    session_of_course,
)
from cms.api.idempotency import idempotent
from cms.api.locale import requested_locale


def _problem(error: RegistrationError) -> ValidationError:
    return ValidationError({error.field: [str(error.message)]}, code=error.code)


@extend_schema(
    parameters=[
        OpenApiParameter("locale", OpenApiTypes.STR, enum=["de", "en", "de-ls"]),
        OpenApiParameter("topic", OpenApiTypes.STR),
        OpenApiParameter("level", OpenApiTypes.STR, enum=["beginner", "advanced"]),
        OpenApiParameter("from", OpenApiTypes.DATE),
        OpenApiParameter("access", OpenApiTypes.STR, many=True, enum=list(ACCESS_FILTERS)),
    ],
    responses=CourseSerializer(many=True),
)
class CourseListView(APIView):
    def get(self, request):
        date_from = request.query_params.get("from", "")
        parsed = parse_date(date_from) if date_from else None
        if date_from and parsed is None:
            raise ValidationError({"from": [_("Bitte geben Sie das Datum als JJJJ-MM-TT an.")]})
        cards = courses_upcoming(
            locale=requested_locale(request),
            topic_slug=request.query_params.get("topic", ""),
            level=request.query_params.get("level", ""),
            date_from=parsed,
            access=tuple(request.query_params.getlist("access")),
        )
        return Response(CourseSerializer(cards, many=True, context={"request": request}).data)


@extend_schema(responses=CourseSerializer)
class CourseDetailView(APIView):
    def get(self, request, pk: int):
        page = CoursePage.objects.live().public().select_related("course").filter(pk=pk).first()
        if page is None:
            raise NotFound
        return Response(CourseSerializer(course_card(course_page=page), context={"request": request}).data)


@extend_schema(
    parameters=[
        OpenApiParameter("locale", OpenApiTypes.STR, enum=["de", "en", "de-ls"]),
        OpenApiParameter("course", OpenApiTypes.INT),
        OpenApiParameter("from", OpenApiTypes.DATE),
    ],
    responses=SessionListItemSerializer(many=True),
)
class SessionListView(APIView):
    """Upcoming sessions with their free places, soonest first."""

    def get(self, request):
        date_from = request.query_params.get("from", "")
        parsed = parse_date(date_from) if date_from else None
        if date_from and parsed is None:
            raise ValidationError({"from": [_("Bitte geben Sie das Datum als JJJJ-MM-TT an.")]})
        course = request.query_params.get("course", "")
        if course and not course.isdigit():
            raise ValidationError({"course": [_("Diesen Kurs gibt es nicht.")]})
        cards = courses_upcoming(locale=requested_locale(request), date_from=parsed)
        entries = [
            (card.page.pk, item)
            for card in cards
            if not course or card.page.pk == int(course)
            for item in session_availabilities(card)
        ]
        entries.sort(key=lambda entry: entry[1].session.start)
        return Response(SessionListItemSerializer(entries, many=True).data)


class MyRegistrationsView(generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = RegistrationSerializer

    def get_queryset(self):
        return (
            Registration.objects.filter(user=self.request.user, status__in=Registration.ACTIVE)
            .select_related("course", "session", "session__location")
            .prefetch_related(german_course_pages())
            .order_by("created_at")
        )


class RegistrationCreateView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=RegistrationCreateSerializer, responses={201: RegistrationSerializer})
    @idempotent
    def post(self, request):
        payload = RegistrationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        page = CoursePage.objects.live().public().select_related("course").filter(pk=data["course"]).first()
        if page is None:
            raise ValidationError({"course": [_("Diesen Kurs gibt es nicht.")]})
        try:
            session = session_of_course(course=page.course, session_id=data.get("session"))
            registration = registration_create(
                course=page.course,
                session=session,
                user=request.user,
                with_companion=data["with_companion"],
                access_needs=data["access_needs"],
                access_needs_text=data["access_needs_text"],
            )
        except RegistrationError as error:
            raise _problem(error) from error
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


class RegistrationActionView(APIView):
    """POST /registrations/<id>/cancel|leave|confirm/ on one's own registration."""

    permission_classes = [permissions.IsAuthenticated]
    actions = {
        "cancel": registration_cancel,
        "leave": registration_waitlist_leave,
        "confirm": registration_hold_confirm,
    }

    @extend_schema(request=None, responses=RegistrationSerializer, operation_id="academy_registration_action")
    @idempotent
    def post(self, request, pk: int, action: str):
        registration = Registration.objects.filter(pk=pk, user=request.user).first()
        if registration is None or action not in self.actions:
            raise NotFound
        try:
            registration = self.actions[action](registration=registration)
        except RegistrationError as error:
            raise _problem(error) from error
        return Response(RegistrationSerializer(registration).data)


urlpatterns = [
    path("academy/courses/", CourseListView.as_view(), name="api-academy-courses"),
    path("academy/courses/<id:pk>/", CourseDetailView.as_view(), name="api-academy-course"),
    path("academy/sessions/", SessionListView.as_view(), name="api-academy-sessions"),
    path("academy/registrations/", RegistrationCreateView.as_view(), name="api-academy-register"),
    path("academy/registrations/mine/", MyRegistrationsView.as_view(), name="api-academy-my-registrations"),
    path(
        "academy/registrations/<id:pk>/<str:action>/",
        RegistrationActionView.as_view(),
        name="api-academy-registration-action",
    ),
]
