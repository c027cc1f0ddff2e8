from rest_framework import serializers

from django.urls import reverse

from cms.api.fields import LocalTimeField
from rentals.models import ItemType, Reservation
from rentals.services.confirmation import ticket_url


class ItemTypeSerializer(serializers.ModelSerializer):
    """An item type in the request's language; rules come from the German source."""

    opens_at = LocalTimeField(label=ItemType._meta.get_field("opens_at").verbose_name)
    closes_at = LocalTimeField(label=ItemType._meta.get_field("closes_at").verbose_name)

    class Meta:
        model = ItemType
        fields = [
            "slug",
            "name",
            "description",
            "rules_of_use",
            "slot_minutes",
            "max_duration_minutes",
            "opens_at",
            "closes_at",
            "horizon_days",
            "max_active_per_citizen",
        ]

    def to_representation(self, item_type):
        data = super().to_representation(item_type)
        display = self.context.get("displays", {}).get(item_type.pk, item_type)
        data.update(name=display.name, description=display.description, rules_of_use=display.rules_of_use)
        return data


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    free = serializers.IntegerField()


class DayAvailabilitySerializer(serializers.Serializer):
    """One item type's slots on one day, each with the number of items still free."""

    item_type = serializers.SlugField()
    day = serializers.DateField()
    slots = SlotSerializer(many=True)


class ReserveSerializer(serializers.Serializer):
    item_type = serializers.SlugField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ReservationSerializer(serializers.ModelSerializer):
    """A citizen's own reservation, with the PIN and QR link while it is active."""

    item_type = serializers.CharField(source="item.item_type.slug")
    item = serializers.CharField(source="item.label")
    location = serializers.CharField(source="item.location.name")
    state_label = serializers.CharField(source="get_state_display")
    pin = serializers.SerializerMethodField()
    qr_url = serializers.SerializerMethodField()
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Reservation
        fields = [
            "id",
            "item_type",
            "item",
            "location",
            "starts_at",
            "ends_at",
            "state",
            "state_label",
            "picked_up_at",
            "returned_at",
            "pin",
            "qr_url",
            "web_url",
        ]

    def get_pin(self, reservation) -> str:
        return reservation.pin_for_citizen if reservation.is_active else ""

    def get_qr_url(self, reservation) -> str:
        return ticket_url(reservation=reservation) if reservation.qr_token else ""

    def get_web_url(self, reservation) -> str:
        return reverse("rentals:reservation_detail", kwargs={"pk": reservation.pk})
