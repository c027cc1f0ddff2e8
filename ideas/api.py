"""Idea endpoints: list and detail, submit, support and follow; a member's blind scorecard."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils.translation import gettext as _

from cms.api.errors import problem_response
from cms.api.idempotency import idempotent
from ideas.models import Assignment
from ideas.selectors.evaluation import (
    assignment_aggregate,
    criteria_of,
    own_scorecard,
    round_for_user,
    scores_visible,
)
from ideas.selectors.public import idea_for_viewer, ideas_filtered
from ideas.serializers import IdeaDetailSerializer, IdeaListSerializer, IdeaSubmitSerializer, ScoresSubmitSerializer
from ideas.services.evaluation import scorecard_save
from ideas.services.submission import idea_follow, idea_submit, idea_support, idea_support_withdraw, idea_unfollow

SORT_PARAMETER = OpenApiParameter("ordering", OpenApiTypes.STR, enum=["neueste", "unterstuetzt"])


def _django_errors(error: DjangoValidationError) -> ValidationError:
    if hasattr(error, "error_dict"):
        return ValidationError(
            {field: [str(message) for message in messages] for field, messages in error.message_dict.items()}
        )
    return ValidationError({"non_field_errors": error.messages})


@extend_schema(
    parameters=[
        OpenApiParameter("topic", OpenApiTypes.STR),
        OpenApiParameter("status", OpenApiTypes.STR),
        OpenApiParameter("district", OpenApiTypes.STR),
        SORT_PARAMETER,
    ]
)
class IdeaListCreateView(generics.ListCreateAPIView):
    """GET: public ideas. POST: submit an idea (signed in); it waits for moderation."""

    throttle_scope = "ideas_submit"

    def get_serializer_class(self):
        return IdeaSubmitSerializer if self.request.method == "POST" else IdeaListSerializer

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    def get_queryset(self):
        params = self.request.query_params
        return ideas_filtered(
            topic_slug=params.get("topic", ""),
            status=params.get("status", ""),
            district=params.get("district", ""),
            sort=params.get("ordering", "neueste"),
        )

    @extend_schema(request=IdeaSubmitSerializer, responses={201: IdeaDetailSerializer})
    @idempotent
    def post(self, request, *args, **kwargs):
        serializer = IdeaSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            idea = idea_submit(author=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise _django_errors(error) from error
        idea = idea_for_viewer(pk=idea.pk, user=request.user)
        return Response(IdeaDetailSerializer(idea, context={"request": request}).data, status=status.HTTP_201_CREATED)


class IdeaDetailView(generics.RetrieveAPIView):
    serializer_class = IdeaDetailSerializer

    def get_object(self):
        idea = idea_for_viewer(pk=self.kwargs["pk"], user=self.request.user)
        if idea is not None and idea.merged_into_id:
            idea = idea_for_viewer(pk=idea.merged_into_id, user=self.request.user)
        if idea is None:
            raise NotFound
        return idea


RELATION_RESPONSE = inline_serializer(
    "IdeaRelation", {"active": serializers.BooleanField(), "created": serializers.BooleanField()}
)


class _IdeaRelationView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "ideas_relation"
    add = staticmethod(idea_support)
    remove = staticmethod(idea_support_withdraw)

    def _idea(self, pk: int):
        idea = idea_for_viewer(pk=pk, user=self.request.user)
        if idea is None or not idea.is_public:
            raise NotFound
        return idea

    @extend_schema(request=None, responses={200: RELATION_RESPONSE, 201: RELATION_RESPONSE})
    @idempotent
    def post(self, request, pk: int):
        try:
            created = self.add(idea=self._idea(pk), user=request.user)
        except DjangoValidationError as error:
            raise _django_errors(error) from error
        return Response(
            {"active": True, "created": created}, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(request=None, responses={200: RELATION_RESPONSE})
    @idempotent
    def delete(self, request, pk: int):
        self.remove(idea=self._idea(pk), user=request.user)
        return Response({"active": False, "created": False})


class IdeaSupportView(_IdeaRelationView):
    """Support an idea once (POST) or withdraw (DELETE)."""


class IdeaFollowView(_IdeaRelationView):
    """Follow an idea (POST) to be notified of every status change, or stop (DELETE)."""

    add = staticmethod(idea_follow)
    remove = staticmethod(idea_unfollow)


class ScorecardView(APIView):
    """A member's own scorecard for one idea of a round, and the group's aggregate only when the
    blind rule allows it (own card handed in, or round closed)."""

    permission_classes = [IsAuthenticated]

    def _assignment(self, pk: int) -> Assignment:
        assignment = Assignment.objects.select_related("round").filter(pk=pk).first()
        if assignment is None or round_for_user(pk=assignment.round_id, user=self.request.user) is None:
            raise NotFound
        return assignment

    def _payload(self, assignment: Assignment) -> dict:
        criteria = criteria_of(evaluation_round=assignment.round)
        own = own_scorecard(assignment=assignment, user=self.request.user)
        payload = {
            "own": {
                "scores": {str(key): value for key, value in own["values"].items()},
                "submitted": own["submitted"],
                "recused": own["recused"],
            },
            "round_closed": assignment.round.is_closed,
            "visible": False,
            "aggregate": None,
        }
        if scores_visible(assignment=assignment, user=self.request.user):
            result = assignment_aggregate(assignment=assignment, criteria=criteria)
            payload["visible"] = True
            payload["aggregate"] = {
                "scorers": result.scorers,
                "overall": vars(result.overall),
                "criteria": {
                    str(criterion.pk): {"name": criterion.name, **vars(result.criteria[criterion.pk])}
                    for criterion in criteria
                },
            }
        return payload

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk: int):
        return Response(self._payload(self._assignment(pk)))

    @extend_schema(request=ScoresSubmitSerializer, responses={200: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT})
    @idempotent
    def post(self, request, pk: int):
        assignment = self._assignment(pk)
        serializer = ScoresSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            values = {int(key): value for key, value in serializer.validated_data["scores"].items()}
        except ValueError as error:
            raise ValidationError({"scores": [_("Die Schlüssel sind die Nummern der Kriterien.")]}) from error
        try:
            scorecard_save(assignment=assignment, member=request.user, values=values, submit=True)
        except DjangoValidationError as error:
            if getattr(error, "code", None) == "scorecard_final":
                return problem_response(status_code=409, detail=error.messages[0], code="bogen-abgegeben")
            raise _django_errors(error) from error
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        assignment.round.refresh_from_db()
        return Response(self._payload(assignment))


urlpatterns = [
    path("ideas/", IdeaListCreateView.as_view(), name="api-idea-list"),
    path("ideas/<id:pk>/", IdeaDetailView.as_view(), name="api-idea-detail"),
    path("ideas/<id:pk>/support/", IdeaSupportView.as_view(), name="api-idea-support"),
    path("ideas/<id:pk>/follow/", IdeaFollowView.as_view(), name="api-idea-follow"),
    path("ideas/scorecards/<id:pk>/", ScorecardView.as_view(), name="api-idea-scorecard"),
]
