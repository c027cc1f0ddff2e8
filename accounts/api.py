"""Mein Konto for the app: profile, data export and account deletion (GDPR)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from django.conf import settings
from django.urls import path

from accounts.services import (
    AccountDeletionBlocked,
    account_delete,
    account_export,
    profile_ensure,
    profile_update,
)
from cms.api.errors import PROBLEM_CONTENT_TYPE, ProblemSerializer, problem_response
from cms.api.idempotency import idempotent


class ProfileSerializer(serializers.Serializer):
    email = serializers.EmailField(read_only=True)
    display_name = serializers.CharField(max_length=120, allow_blank=True, required=False)
    preferred_language = serializers.ChoiceField(choices=[code for code, _name in settings.LANGUAGES], required=False)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    def _payload(self, request) -> dict:
        profile = profile_ensure(user=request.user)
        return {
            "email": request.user.email,
            "display_name": profile.display_name,
            "preferred_language": profile.preferred_language,
        }

    @extend_schema(responses=ProfileSerializer)
    def get(self, request):
        return Response(self._payload(request))

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    @idempotent
    def patch(self, request):
        serializer = ProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        current = self._payload(request)
        profile_update(
            user=request.user,
            display_name=serializer.validated_data.get("display_name", current["display_name"]),
            preferred_language=serializer.validated_data.get("preferred_language", current["preferred_language"]),
        )
        return Response(self._payload(request))

    @extend_schema(responses={204: None, (409, PROBLEM_CONTENT_TYPE): ProblemSerializer})
    @idempotent
    def delete(self, request):
        try:
            account_delete(user=request.user)
        except AccountDeletionBlocked as error:
            return problem_response(status_code=409, detail=str(error), code="konto-loeschen-blockiert")
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyDataView(APIView):
    """Everything the portal holds about the signed-in citizen (GDPR export)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(account_export(user=request.user))


urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("me/data/", MyDataView.as_view(), name="api-me-data"),
]
