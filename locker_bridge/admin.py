"""Django admin (/django-admin/) for technicians: register controllers, take compartments out of service.

Staff use the Wagtail status page; commands and events are read-only here,
because only the bridge may write them.
"""

from django.contrib import admin

from locker_bridge.models import Alert, Command, Compartment, Event, Locker


class CompartmentInline(admin.TabularInline):
    model = Compartment
    fields = ["number", "size", "in_service", "door_state", "is_occupied", "state_unknown"]
    readonly_fields = ["door_state", "is_occupied", "state_unknown"]
    extra = 0


@admin.register(Locker)
class LockerAdmin(admin.ModelAdmin):
    """The HMAC keys never appear here: whoever reads a key can open doors.

    A technician gets a controller's key once, from ``manage.py locker_key_rotate``
    (docs/locker_bridge.md, "Connecting a real controller").
    """

    list_display = ["controller_id", "location_label", "is_online", "last_heartbeat_at", "messages_dropped"]
    exclude = ["secret_key", "previous_secret_key"]
    readonly_fields = ["is_online", "last_heartbeat_at", "previous_key_until", "messages_dropped"]
    inlines = [CompartmentInline]


@admin.register(Command)
class CommandAdmin(admin.ModelAdmin):
    list_display = ["created_at", "locker", "compartment", "kind", "state", "attempts", "reference"]
    list_filter = ["state", "kind", "locker"]
    search_fields = ["reference", "command_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "locker", "compartment", "kind", "event_id"]
    list_filter = ["kind", "locker"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["created_at", "locker", "kind", "message", "acknowledged_at"]
    list_filter = ["kind", "locker"]
    readonly_fields = ["acknowledged_at", "acknowledged_by"]
