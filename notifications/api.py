"""Topic and device endpoints for the town's app and the browser.

A device is managed with the key it got at registration, sent as the
``X-Device-Key`` header; nothing else identifies an anonymous device. Errors
are RFC 9457 problem+json (cms/api/errors.py).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from django.urls import path
from django.utils.translation import gettext as _

from cms.api.idempotency import idempotent
from cms.api.locale import requested_locale
from notifications.models import Platform, Subscription
from notifications.selectors import topics_for_locale
from notifications.serializers import (
    DeviceSerializer,
    DeviceUpdateSerializer,
    SubscriptionStateSerializer,
    TopicSerializer,
)
from notifications.services import subscription_register, subscription_unregister, subscription_update
from notifications.services.subscriptions import UNSET, PlatformNotConfigured, subscription_by_key

DEVICE_KEY_HEADER = OpenApiParameter("X-Device-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)


@extend_schema(parameters=[OpenApiParameter("locale", OpenApiTypes.STR, enum=["de", "en", "de-ls"])])
class TopicListView(generics.ListAPIView):
    serializer_class = TopicSerializer
    pagination_class = None

    def get_queryset(self):
        return topics_for_locale(locale=requested_locale(self.request))


def _token_values(data: dict) -> dict:
    if "subscription" in data:
        subscription = data["subscription"]
        return {
            "token": subscription["endpoint"],
            "p256dh": subscription["keys"]["p256dh"],
            "auth": subscription["keys"]["auth"],
        }
    return {"token": data["token"]} if "token" in data else {}


def _quiet_hours(data: dict) -> dict:
    if "quiet_hours" not in data:
        return {"quiet_start": UNSET, "quiet_end": UNSET}
    hours = data["quiet_hours"]
    return {"quiet_start": hours["start"] if hours else None, "quiet_end": hours["end"] if hours else None}


class PlatformUnavailable(APIException):
    """422: the request is well-formed, but the portal cannot push to this platform."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "platform-not-configured"


class DeviceRegisterView(APIView):
    """Register a device; the answer carries the ``device_key``, shown only this once."""

    throttle_scope = "push_device_register"

    @extend_schema(request=DeviceSerializer, responses={201: SubscriptionStateSerializer})
    @idempotent
    def post(self, request):
        serializer = DeviceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        quiet = {key: value for key, value in _quiet_hours(data).items() if value is not UNSET}
        try:
            subscription, key = subscription_register(
                platform=data["platform"],
                language=data["language"],
                topic_slugs=data["topics"],
                user=request.user,
                browser=request.data.get("browser", "") if data["platform"] == Platform.WEB else "",
                **_token_values(data),
                **quiet,
            )
        except PlatformNotConfigured as error:
            raise PlatformUnavailable(str(error)) from error
        body = {"device_key": key, **SubscriptionStateSerializer(subscription).data}
        return Response(body, status=status.HTTP_201_CREATED)


class CurrentDeviceView(APIView):
    """Read, change or unregister the device that sends its key."""

    throttle_scope = "push_device_update"

    def _subscription(self, request) -> Subscription:
        subscription = subscription_by_key(key=request.headers.get("X-Device-Key", ""))
        if subscription is None:
            raise NotFound(_("Dieses Gerät ist nicht angemeldet. Bitte registrieren Sie es neu."))
        return subscription

    @extend_schema(parameters=[DEVICE_KEY_HEADER], responses=SubscriptionStateSerializer)
    def get(self, request):
        return Response(SubscriptionStateSerializer(self._subscription(request)).data)

    @extend_schema(
        parameters=[DEVICE_KEY_HEADER], request=DeviceUpdateSerializer, responses=SubscriptionStateSerializer
    )
    @idempotent
    def patch(self, request):
        subscription = self._subscription(request)
        serializer = DeviceUpdateSerializer(instance=subscription, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscription = subscription_update(
            subscription=subscription,
            topic_slugs=data.get("topics"),
            language=data.get("language"),
            user=request.user,
            **_token_values(data),
            **_quiet_hours(data),
        )
        return Response(SubscriptionStateSerializer(subscription).data)

    @extend_schema(parameters=[DEVICE_KEY_HEADER], responses={204: None})
    @idempotent
    def delete(self, request):
        subscription_unregister(subscription=self._subscription(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("topics/", TopicListView.as_view(), name="api-topic-list"),
    path("push/devices/", DeviceRegisterView.as_view(), name="api-push-device-register"),
    path("push/devices/current/", CurrentDeviceView.as_view(), name="api-push-device-current"),
]
