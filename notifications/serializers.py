import base64
import binascii
import re
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from rest_framework import serializers

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.models import Platform, Subscription, Topic
from notifications.push.endpoints import EndpointRefused, endpoint_check

FCM_TOKEN = re.compile(r"^[A-Za-z0-9_:\-]{32,4096}$")
APNS_TOKEN = re.compile(r"^(?:[0-9a-fA-F]{2}){32,100}$")
ENDPOINT_REFUSED = _(
    "Diese Push-Adresse gehört zu keinem bekannten Push-Dienst. Bitte schalten Sie die Benachrichtigungen neu ein."
)


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name", "description", "icon"]


def _b64url(value: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return None


class WebPushKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=100)
    auth = serializers.CharField(max_length=40)

    def validate_p256dh(self, value: str) -> str:
        raw = _b64url(value)
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw or b"")
        except ValueError:
            raise serializers.ValidationError(
                _("Der Schlüssel p256dh ist kein gültiger P-256-Schlüssel (RFC 8291).")
            ) from None
        return value

    def validate_auth(self, value: str) -> str:
        raw = _b64url(value)
        if raw is None or len(raw) != 16:
            raise serializers.ValidationError(_("Das Geheimnis auth muss 16 Byte lang sein (RFC 8291)."))
        return value


class WebPushSubscriptionSerializer(serializers.Serializer):
    """What the browser's ``PushSubscription.toJSON()`` returns."""

    endpoint = serializers.URLField(max_length=2000)
    keys = WebPushKeysSerializer()

    def validate_endpoint(self, value: str) -> str:
        if urlsplit(value).scheme != "https":
            raise serializers.ValidationError(_("Die Push-Adresse muss mit https:// beginnen."))
        try:
            endpoint_check(value)
        except EndpointRefused:
            raise serializers.ValidationError(ENDPOINT_REFUSED) from None
        return value


class QuietHoursSerializer(serializers.Serializer):
    start = serializers.TimeField(format="%H:%M")
    end = serializers.TimeField(format="%H:%M")


class DeviceSerializer(serializers.Serializer):
    """Register or change a device. ``token`` for FCM and APNs, ``subscription`` for Web Push."""

    platform = serializers.ChoiceField(choices=Platform.choices)
    token = serializers.CharField(required=False, max_length=4096, trim_whitespace=True)
    subscription = WebPushSubscriptionSerializer(required=False)
    language = serializers.CharField(default="de", max_length=10, help_text="de, en or de-ls")
    topics = serializers.ListField(child=serializers.SlugField(), required=False, default=list, max_length=50)
    quiet_hours = QuietHoursSerializer(required=False, allow_null=True)

    def validate_language(self, value: str) -> str:
        codes = [code for code, _name in settings.LANGUAGES]
        if value not in codes:
            raise serializers.ValidationError(
                _("Diese Sprache gibt es hier nicht. Möglich sind: %(codes)s") % {"codes": ", ".join(codes)}
            )
        return value

    def validate_topics(self, value: list[str]) -> list[str]:
        known = set(Topic.objects.filter(slug__in=value).values_list("slug", flat=True))
        unknown = sorted(set(value) - known)
        if unknown:
            raise serializers.ValidationError(
                _("Diese Themen gibt es nicht: %(slugs)s") % {"slugs": ", ".join(unknown)}
            )
        return sorted(set(value))

    def validate(self, attrs: dict) -> dict:
        platform = attrs.get("platform", getattr(self.instance, "platform", None))
        if "subscription" in attrs or "token" in attrs or self.instance is None:
            self._validate_token(platform, attrs)
        return attrs

    def _validate_token(self, platform: str, attrs: dict) -> None:
        if platform == Platform.WEB:
            if "subscription" not in attrs:
                raise serializers.ValidationError(
                    {"subscription": [_("Für Web Push fehlt die Push-Subscription des Browsers.")]}
                )
            return
        token = attrs.get("token", "")
        pattern, message = (
            (FCM_TOKEN, _("Das ist kein gültiges FCM-Token."))
            if platform == Platform.FCM
            else (APNS_TOKEN, _("Das ist kein gültiges APNs-Gerätetoken (64 bis 200 Hexadezimalzeichen)."))
        )
        if not pattern.match(token):
            raise serializers.ValidationError({"token": [message]})


class DeviceUpdateSerializer(DeviceSerializer):
    platform = serializers.ChoiceField(choices=Platform.choices, required=False)
    language = serializers.CharField(required=False, max_length=10, help_text="de, en or de-ls")
    topics = serializers.ListField(child=serializers.SlugField(), required=False, max_length=50)


class SubscriptionStateSerializer(serializers.ModelSerializer):
    language = serializers.CharField(read_only=True)
    platform = serializers.CharField(read_only=True)
    topics = serializers.SerializerMethodField()
    quiet_hours = serializers.SerializerMethodField()

    class Meta:
        model = Subscription
        fields = ["platform", "language", "topics", "quiet_hours", "active", "created_at", "updated_at"]

    def get_topics(self, subscription: Subscription) -> list[str]:
        return sorted(topic.slug for topic in subscription.topics.all())

    def get_quiet_hours(self, subscription: Subscription) -> dict | None:
        if subscription.quiet_start is None or subscription.quiet_end is None:
            return None
        return {"start": subscription.quiet_start.strftime("%H:%M"), "end": subscription.quiet_end.strftime("%H:%M")}
