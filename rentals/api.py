"""API endpoints of the rentals app, mounted under /api/v1/.

Every reservation endpoint looks only at the signed-in citizen's own
reservations: someone else's answers 404, exactly like one that does not exist.
"""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from cms.api.errors import problem_response
from cms.api.idempotency import idempotent
from rentals import selectors
from rentals.serializers import (
    DayAvailabilitySerializer,
    ItemTypeSerializer,
    ReservationSerializer,
    ReserveSerializer,
)
from rentals.services.errors import RentalsError, SlotTaken
from rentals.services.locker import reservation_remote_open
from rentals.services.reservations import reservation_cancel, reservation_create


def _refusal_response(refusal: RentalsError) -> Response:
    if isinstance(refusal, SlotTaken):
        response = problem_response(status_code=409, detail=str(refusal.message), code="schon-vergeben")
        response.data["alternatives"] = [
            {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()}
            for starts_at, ends_at in refusal.alternatives
        ]
        return response
    raise exceptions.ValidationError({refusal.field: [str(refusal.message)]})


class ItemTypeListView(generics.ListAPIView):
    serializer_class = ItemTypeSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.item_types_source()

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "displays": selectors.item_type_translations(item_types=self.get_queryset()),
        }


class AvailabilityView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("day", OpenApiTypes.DATE, description="YYYY-MM-DD, default today")],
        responses=DayAvailabilitySerializer,
    )
    def get(self, request, slug: str):
        item_type = selectors.item_type_by_slug(slug=slug)
        if item_type is None:
            raise Http404
        item_type = selectors.item_type_source(item_type=item_type)
        raw_day = request.query_params.get("day", "")
        day = parse_date(raw_day) if raw_day else timezone.localdate()
        if day is None:
            raise exceptions.ValidationError({"day": [_("Bitte geben Sie den Tag als JJJJ-MM-TT an.")]})
        if not timezone.localdate() <= day <= timezone.localdate() + datetime.timedelta(days=item_type.horizon_days):
            raise exceptions.ValidationError({"day": [_("Für diesen Tag kann man nicht reservieren.")]})
        availability = selectors.availability_for_day(day=day, item_types=[item_type])[0]
        return Response(
            DayAvailabilitySerializer({"item_type": item_type.slug, "day": day, "slots": availability.slots}).data
        )


class ReservationListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ReservationSerializer(many=True))
    def get(self, request):
        reservations = selectors.reservations_of(user=request.user).order_by("-starts_at")[:100]
        return Response(ReservationSerializer(reservations, many=True).data)

    @extend_schema(request=ReserveSerializer, responses={201: ReservationSerializer})
    @idempotent
    def post(self, request):
        serializer = ReserveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item_type = selectors.item_type_by_slug(slug=serializer.validated_data["item_type"])
        if item_type is None:
            raise exceptions.ValidationError({"item_type": [_("Diesen Leihgegenstand gibt es nicht.")]})
        try:
            created = reservation_create(
                item_type=item_type,
                starts_at=serializer.validated_data["starts_at"],
                ends_at=serializer.validated_data["ends_at"],
                user=request.user,
            )
        except RentalsError as refusal:
            return _refusal_response(refusal)
        return Response(ReservationSerializer(created.reservation).data, status=status.HTTP_201_CREATED)


class OwnReservationMixin:
    permission_classes = [IsAuthenticated]

    def own(self, request, pk: int):
        reservation = selectors.reservation_of(user=request.user, pk=pk)
        if reservation is None:
            raise Http404
        return reservation


class ReservationDetailView(OwnReservationMixin, APIView):
    @extend_schema(responses=ReservationSerializer)
    def get(self, request, pk: int):
        return Response(ReservationSerializer(self.own(request, pk)).data)


class ReservationCancelView(OwnReservationMixin, APIView):
    @extend_schema(request=None, responses=ReservationSerializer)
    @idempotent
    def post(self, request, pk: int):
        reservation = self.own(request, pk)
        try:
            reservation = reservation_cancel(reservation=reservation)
        except RentalsError as refusal:
            return problem_response(status_code=409, detail=str(refusal.message), code=refusal.code)
        return Response(ReservationSerializer(reservation).data)


class ReservationOpenView(OwnReservationMixin, APIView):
    @extend_schema(
        request=None,
        parameters=[OpenApiParameter("Idempotency-Key", OpenApiTypes.STR, location=OpenApiParameter.HEADER)],
        responses={202: None},
    )
    @idempotent
    def post(self, request, pk: int):
        reservation = self.own(request, pk)
        try:
            command = reservation_remote_open(
                reservation=reservation, user=request.user, request_key=request.headers.get("Idempotency-Key", "")
            )
        except RentalsError as refusal:
            return problem_response(status_code=409, detail=str(refusal.message), code=refusal.code)
        return Response({"command": str(command.command_id), "state": command.state}, status=status.HTTP_202_ACCEPTED)


urlpatterns = [
    path("rentals/item-types/", ItemTypeListView.as_view(), name="api-rentals-item-types"),
    path("rentals/item-types/<slug:slug>/availability/", AvailabilityView.as_view(), name="api-rentals-availability"),
    path("rentals/reservations/", ReservationListView.as_view(), name="api-rentals-reservations"),
    path("rentals/reservations/<id:pk>/", ReservationDetailView.as_view(), name="api-rentals-reservation"),
    path("rentals/reservations/<id:pk>/cancel/", ReservationCancelView.as_view(), name="api-rentals-cancel"),
    path("rentals/reservations/<id:pk>/open/", ReservationOpenView.as_view(), name="api-rentals-open"),
]
