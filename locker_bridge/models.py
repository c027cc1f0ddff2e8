"""The locker hardware as the portal sees it: controllers, compartments, commands, events, alerts.

``locker_bridge`` owns the hardware; ``rentals`` owns what is in it. Rentals
reads ``Locker`` and ``Compartment`` and writes only through
``locker_bridge.services`` (see docs/locker_bridge.md).
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _secret_key_new() -> str:
    return secrets.token_hex(32)


class Locker(models.Model):
    """One locker controller ("Schließfachanlage") at one site.

    The secret key signs every command (HMAC-SHA256, docs/locker_protocol.md), so a
    client on the broker without the key can't open a door. ``is_online`` and
    ``last_heartbeat_at`` are written by the bridge from heartbeats and presence.
    After a key rotation the previous key stays in use until the controller proves
    the new one or ``previous_key_until`` passes (``services.locker_key_rotate``).
    """

    controller_id = models.SlugField(_("Kennung der Steuerung"), max_length=64, unique=True)
    location_label = models.CharField(_("Standort"), max_length=120)
    secret_key = models.CharField(_("Schlüssel"), max_length=128, default=_secret_key_new)
    previous_secret_key = models.CharField(_("vorheriger Schlüssel"), max_length=128, blank=True)
    previous_key_until = models.DateTimeField(_("vorheriger Schlüssel gilt bis"), null=True, blank=True)
    is_online = models.BooleanField(_("erreichbar"), default=False)
    last_heartbeat_at = models.DateTimeField(_("letztes Lebenszeichen"), null=True, blank=True)
    # The newest liveness message accepted (docs/locker_protocol.md, "Heartbeat and presence"):
    # anything not newer is a replay and changes nothing.
    liveness_boot = models.CharField(max_length=32, blank=True)
    liveness_seq = models.PositiveBigIntegerField(default=0)
    liveness_at = models.DateTimeField(null=True, blank=True)
    liveness_connection = models.PositiveBigIntegerField(default=0)
    # Messages on its topics the bridge dropped: invalid, forged, over the rate limit (locker_bridge.md, "Floods").
    messages_dropped = models.PositiveBigIntegerField(_("verworfene Nachrichten"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Schließfachanlage")
        verbose_name_plural = _("Schließfachanlagen")
        ordering = ["location_label", "controller_id"]

    def __str__(self) -> str:
        return f"{self.location_label} ({self.controller_id})"


class Compartment(models.Model):
    """One compartment ("Fach") of a locker, with what the bridge last heard about it.

    ``state_unknown`` is set while the controller is offline and cleared when the
    controller's state report has been reconciled; rentals must not hand such a
    compartment out for immediate pickup (see ``selectors.compartment_is_usable``).
    """

    class Size(models.TextChoices):
        SMALL = "S", _("klein")
        MEDIUM = "M", _("mittel")
        LARGE = "L", _("groß")

    class Door(models.TextChoices):
        CLOSED = "closed", _("geschlossen")
        OPEN = "open", _("offen")

    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="compartments")
    number = models.PositiveSmallIntegerField(_("Nummer"))
    size = models.CharField(_("Größe"), max_length=1, choices=Size.choices, default=Size.MEDIUM)
    door_state = models.CharField(_("Tür"), max_length=8, choices=Door.choices, default=Door.CLOSED)
    door_changed_at = models.DateTimeField(_("Tür zuletzt geändert"), null=True, blank=True)
    is_occupied = models.BooleanField(_("belegt"), default=False)
    in_service = models.BooleanField(_("in Betrieb"), default=True)
    state_unknown = models.BooleanField(_("Zustand unbekannt"), default=False)
    # A state report showed a door change whose event has not arrived yet (services.health.reconcile).
    report_ahead_since = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Fach")
        verbose_name_plural = _("Fächer")
        ordering = ["locker", "number"]
        constraints = [
            models.UniqueConstraint(fields=["locker", "number"], name="compartment_number_unique_per_locker"),
        ]

    def __str__(self) -> str:
        return f"{self.locker.location_label}, Fach {self.number}"


class Command(models.Model):
    """One command to a controller, written before it is sent (docs/locker_bridge.md, lifecycle).

    ``state`` is an explicit state machine; the allowed transitions live in
    ``TRANSITIONS`` and are applied with conditional updates, so two processes
    racing (publisher and acknowledgement) can never move a terminal command.
    ``reference`` is the caller's business key: the same reference gives the
    same command.
    """

    class Kind(models.TextChoices):
        OPEN = "open", _("Fach öffnen")
        PIN_PROVISION = "pin_provision", _("PIN einrichten")
        PIN_REVOKE = "pin_revoke", _("PIN löschen")
        STATE_REPORT = "state_report", _("Zustand melden")

    class State(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENT = "sent", _("gesendet")
        OPENED = "opened", _("geöffnet")
        APPLIED = "applied", _("ausgeführt")
        FAILED = "failed", _("fehlgeschlagen")
        REJECTED = "rejected", _("abgelehnt")
        EXPIRED = "expired", _("abgelaufen")

    TERMINAL = frozenset({State.OPENED, State.APPLIED, State.FAILED, State.REJECTED, State.EXPIRED})
    TRANSITIONS = {
        State.PENDING: frozenset({State.SENT, *TERMINAL}),
        State.SENT: frozenset({State.SENT, *TERMINAL}),
    }

    command_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("Referenz"), max_length=160, unique=True)
    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="commands")
    compartment = models.ForeignKey(
        Compartment, on_delete=models.CASCADE, related_name="commands", null=True, blank=True
    )
    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices)
    state = models.CharField(_("Status"), max_length=10, choices=State.choices, default=State.PENDING)
    payload = models.JSONField(_("Parameter"), default=dict, blank=True)
    reason = models.CharField(_("Anlass"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    result_reason = models.CharField(_("Begründung der Steuerung"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Sendeversuche"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("gültig bis"))
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Befehl")
        verbose_name_plural = _("Befehle")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "expires_at"], name="command_state_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.command_id} ({self.state})"

    @property
    def is_finished(self) -> bool:
        return self.state in self.TERMINAL

    @property
    def round_trip_ms(self) -> int | None:
        if self.finished_at is None or self.state == self.State.EXPIRED:
            return None
        return int((self.finished_at - self.created_at).total_seconds() * 1000)


class Pin(models.Model):
    """A PIN that should (or should no longer) be on a controller, stored as an HMAC only (never the digits).

    The rows are the bridge's *desired state* (docs/locker_bridge.md,
    "Desired state"): a PIN not revoked and still valid should be on the
    controller, a revoked one must not be. ``applied_at`` and ``removed_at``
    record what the controller confirmed, by acknowledgement or state report;
    ``services.pins_reconcile`` sends a fresh provision or revoke, with backoff,
    until the two agree or the PIN's window has ended. The rows also let the
    bridge refuse a PIN that is already active on another compartment of the
    same locker, which would open the wrong door.
    """

    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="pins")
    compartment = models.ForeignKey(Compartment, on_delete=models.CASCADE, related_name="pins")
    provision = models.OneToOneField(Command, on_delete=models.CASCADE, related_name="pin")
    pin_hash = models.CharField(max_length=64)
    valid_from = models.DateTimeField()
    valid_until = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(_("auf der Anlage seit"), null=True, blank=True)
    removed_at = models.DateTimeField(_("von der Anlage gelöscht am"), null=True, blank=True)
    sync_command = models.ForeignKey(
        Command, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("letzter Befehl")
    )
    sync_attempts = models.PositiveSmallIntegerField(_("Abgleichversuche"), default=0)
    next_sync_at = models.DateTimeField(_("nächster Abgleich"), null=True, blank=True)

    class Meta:
        verbose_name = _("PIN")
        verbose_name_plural = _("PINs")
        indexes = [
            models.Index(fields=["locker", "pin_hash"], name="pin_locker_hash_idx"),
            models.Index(fields=["valid_until"], name="pin_valid_until_idx"),
        ]

    @property
    def pin_id(self) -> str:
        """The id the controller knows the PIN by: its first provision's command id, for every retry."""
        return str(self.provision.command_id)


class Event(models.Model):
    """An event a controller reported, stored once per controller and event id.

    QoS 1 and broker replays deliver events more than once; the unique constraint
    makes ingestion idempotent.
    """

    class Kind(models.TextChoices):
        DOOR_OPENED = "door_opened", _("Tür geöffnet")
        DOOR_CLOSED = "door_closed", _("Tür geschlossen")
        PIN_USED = "pin_used", _("PIN benutzt")
        PIN_WRONG = "pin_wrong", _("falsche PIN")
        KEYPAD_LOCKED = "keypad_locked", _("Tastenfeld gesperrt")
        TAMPER = "tamper", _("Manipulation")
        STATE_REPORT = "state_report", _("Zustandsmeldung")

    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="events")
    compartment = models.ForeignKey(Compartment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    event_id = models.CharField(max_length=64)
    kind = models.CharField(_("Art"), max_length=16, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("Zeitpunkt"))
    received_at = models.DateTimeField(auto_now_add=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("Ereignis")
        verbose_name_plural = _("Ereignisse")
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(fields=["locker", "event_id"], name="event_unique_per_locker"),
        ]
        indexes = [models.Index(fields=["received_at"], name="event_received_idx")]


class Alert(models.Model):
    """Something staff must look at: a controller offline, a door left open, a mismatch.

    ``dedup_key`` plus the partial unique constraint keep one open alert per
    problem; once staff acknowledge it, the same problem may raise a new one.
    """

    class Kind(models.TextChoices):
        OFFLINE = "offline", _("Anlage nicht erreichbar")
        DOOR_LEFT_OPEN = "door_left_open", _("Tür zu lange offen")
        STATE_MISMATCH = "state_mismatch", _("Zustand weicht ab")
        TAMPER = "tamper", _("Manipulation gemeldet")
        COMMAND_FAILED = "command_failed", _("Befehl fehlgeschlagen")
        LATE_OPEN = "late_open", _("Öffnung nach Ablauf gemeldet")
        CLOCK_SKEW = "clock_skew", _("Uhr der Anlage geht falsch")
        REVOKE_UNCONFIRMED = "revoke_unconfirmed", _("PIN-Löschung nicht bestätigt")
        KEYPAD_LOCKED = "keypad_locked", _("Tastenfeld gesperrt")
        MESSAGES_DROPPED = "messages_dropped", _("Nachrichten verworfen")
        MESSAGES_FLOOD = "too_many_messages", _("Schließfach-Steuerung sendet zu viele Nachrichten")

    locker = models.ForeignKey(Locker, on_delete=models.CASCADE, related_name="alerts")
    compartment = models.ForeignKey(Compartment, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices)
    dedup_key = models.CharField(max_length=120)
    message = models.CharField(_("Meldung"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Warnung")
        verbose_name_plural = _("Warnungen")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedup_key"], condition=Q(acknowledged_at__isnull=True), name="alert_one_open_per_problem"
            ),
        ]

    def __str__(self) -> str:
        return self.message


class SimulatedController(models.Model):
    """The hardware state of a controller under the ``simulated`` driver (dev, demo, tests).

    It lives in the database so that the web process (simulator page) and the
    task worker (commands) see the same doors and PINs, and so that it rolls back
    with the transaction that changed it.
    """

    locker = models.OneToOneField(Locker, on_delete=models.CASCADE, related_name="simulation")
    state = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("simulierte Steuerung")
        verbose_name_plural = _("simulierte Steuerungen")
